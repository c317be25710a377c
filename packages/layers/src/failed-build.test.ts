// A sequential() or loadModel() that fails part-way (OUT_OF_MEMORY on its last layer, or any error)
// frees everything it allocated: memory() is back where it was. Allocation failures are injected at
// every allocation the layers make, one run per position, besides a real OUT_OF_MEMORY.
import { adam } from '@nnkit/optimizers';
import { init, memory, NnkitError, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test, vi } from 'vitest';
import { batchNorm } from './batch-norm';
import { dense } from './dense';
import { dropout } from './dropout';
import { loadModel } from './io/load-model';
import { sequential } from './sequential';

/** Counts the layers' allocations; when armed, the `failAt`-th one throws OUT_OF_MEMORY. */
const fault = vi.hoisted(() => ({ calls: 0, failAt: 0 }));

vi.mock('@nnkit/tensor-wasm', async (importOriginal) => {
  const real = await importOriginal<typeof import('@nnkit/tensor-wasm')>();
  const counted = <F extends (...args: never[]) => unknown>(fn: F) => ((...args: Parameters<F>) => {
    fault.calls++;
    if (fault.calls === fault.failAt) throw new real.NnkitError('OUT_OF_MEMORY', `injected failure of allocation ${fault.calls}`);
    return fn(...args);
  }) as F;
  return { ...real, zeros: counted(real.zeros), ones: counted(real.ones), full: counted(real.full), randn: counted(real.randn), randu: counted(real.randu), tensor: counted(real.tensor) };
});

beforeAll(async () => {
  await init();
});

/** Runs `fn` with the `failAt`-th allocation failing (0: none); returns how many allocations it made. */
async function withFault<T>(failAt: number, fn: () => T | Promise<T>): Promise<{ calls: number; result?: T; error?: unknown }> {
  fault.calls = 0;
  fault.failAt = failAt;
  try {
    const result = await fn();
    return { calls: fault.calls, result };
  } catch (error) {
    return { calls: fault.calls, error };
  } finally {
    fault.failAt = 0;
  }
}

const layers = () => [dense(8, { activation: 'relu', init: 'he' }), batchNorm(), dropout(0.2), dense(3, { activation: 'softmax' }), dense(3)];

test('a real OUT_OF_MEMORY on the last layer frees the layers built before it, which can be built again', () => {
  const before = memory();
  const first = dense(64);
  const second = dense(64);
  let error: unknown;
  try {
    sequential([first, second, dense(2 ** 31)], { inputShape: [64] }); // a [64, 2³¹] kernel: 512 GiB
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(NnkitError);
  expect((error as NnkitError).code).toBe('OUT_OF_MEMORY');
  expect(memory()).toEqual(before);
  const again = sequential([first, second, dense(2)], { inputShape: [64] });
  expect(again.countParams()).toBe(64 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2);
  again.dispose();
  expect(memory()).toEqual(before);
});

test('sequential(): a failure at any allocation frees everything allocated before it', async () => {
  const clean = await withFault(0, () => sequential(layers(), { inputShape: [4], seed: 1 }));
  const allocations = clean.calls;
  clean.result!.dispose();
  expect(allocations).toBeGreaterThan(10);
  for (let k = 1; k <= allocations; k++) {
    const before = memory();
    const run = await withFault(k, () => sequential(layers(), { inputShape: [4], seed: 1 }));
    expect(run.error, `allocation ${k}`).toMatchObject({ code: 'OUT_OF_MEMORY' });
    expect(memory(), `allocation ${k} of ${allocations}`).toEqual(before);
  }
});

test('loadModel(): a file that fails late (at any allocation, the last one included) leaves memory() where it was', async () => {
  const model = sequential(layers(), { inputShape: [4], seed: 1 });
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.01 }) });
  await model.fit(tensor([0, 1, 2, 3, 3, 2, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0], [4, 4]), [0, 1, 2, 1], { epochs: 1, batchSize: 4 });
  const saved = await model.save(undefined, { includeOptimizer: true });
  model.dispose();
  const clean = await withFault(0, () => loadModel(saved));
  const allocations = clean.calls;
  clean.result!.dispose();
  expect(allocations).toBeGreaterThan(10);
  for (let k = 1; k <= allocations; k++) {
    const before = memory();
    const run = await withFault(k, () => loadModel(saved));
    expect(run.error, `allocation ${k}`).toMatchObject({ code: 'OUT_OF_MEMORY' });
    expect(memory(), `allocation ${k} of ${allocations}`).toEqual(before);
  }
});
