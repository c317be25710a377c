// Two loaded copies of @nnkit/tensor-wasm: the first to call init() runs the kernel; the other
// refuses to run, naming both copies, instead of saying "call await init()" to a user who did.
import { afterEach, expect, test, vi } from 'vitest';
import { version } from '../package.json';

type Copy = typeof import('./index');
const KEY = Symbol.for('nnkit.tensor-wasm');
const registry = () => (globalThis as unknown as Record<symbol, { owner: unknown } | undefined>)[KEY];

/** A fresh copy of the package: its own module instances, as a second install or build would be. */
async function loadCopy(): Promise<Copy> {
  vi.resetModules();
  return await import('./index');
}

const thrown = (fn: () => unknown): { code?: string; message: string } => {
  try {
    fn();
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error('expected a throw');
};

afterEach(() => {
  // As if the process started again: no copy owns the kernel.
  const r = registry();
  if (r) r.owner = null;
});

test('a copy used while another copy runs the kernel names both and the remedy', async () => {
  const app = await loadCopy();
  const layers = await loadCopy();
  expect(app.Tensor).not.toBe(layers.Tensor); // really two copies
  await app.init();
  expect(app.zeros([2]).size).toBe(2);

  const error = thrown(() => layers.zeros([2]));
  expect(error).toBeInstanceOf(app.NnkitError); // and of layers.NnkitError: one error class across copies
  expect(error).toBeInstanceOf(layers.NnkitError);
  expect(error.code).toBe('DUPLICATE_PACKAGE');
  expect(error.message).toMatch(
    new RegExp(`^@nnkit/tensor-wasm: two copies of @nnkit/tensor-wasm are loaded: ${version} \\(.+copies\\.ts\\) runs the kernel, and ${version} \\(.+copies\\.ts\\) was used here\\.`),
  );
  expect(error.message).toMatch(/make every package resolve one copy/);

  // Initializing the second copy as well is refused: its tensors would live in another memory.
  await expect(layers.init()).rejects.toMatchObject({ code: 'DUPLICATE_PACKAGE', message: expect.stringMatching(/^init\(\): two copies/) });
  expect(layers.isInitialized()).toBe(false);
  expect(app.zeros([3]).size).toBe(3); // the first copy runs on
});

test('the message names the version of the copy that runs the kernel', async () => {
  const copy = await loadCopy();
  // What a copy of another version leaves behind when it initializes first.
  (globalThis as unknown as Record<symbol, unknown>)[KEY] = { owner: { version: '9.8.7', file: '/app/node_modules/@nnkit/tensor-wasm/dist/index.js' } };
  const error = thrown(() => copy.tensor([1, 2], [2]));
  expect(error.code).toBe('DUPLICATE_PACKAGE');
  expect(error.message).toContain(`two copies of @nnkit/tensor-wasm are loaded: 9.8.7 (/app/node_modules/@nnkit/tensor-wasm/dist/index.js) runs the kernel, and ${version} (`);
});

test('a copy whose init() failed leaves the kernel to the next copy', async () => {
  const first = await loadCopy();
  await expect(first.init({ initialPages: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  const second = await loadCopy();
  await second.init();
  expect(second.zeros([1]).size).toBe(1);
  expect(thrown(() => first.zeros([1])).code).toBe('DUPLICATE_PACKAGE');
});

test('one copy alone still says to call init()', async () => {
  const copy = await loadCopy();
  expect(thrown(() => copy.zeros([1]))).toMatchObject({ code: 'NOT_INITIALIZED', message: expect.stringMatching(/call `await init\(\)`/) });
});
