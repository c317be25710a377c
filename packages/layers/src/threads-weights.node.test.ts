// Training gives the same weights, bit for bit, on 1, 2, 3, 4 and 8 threads (more threads than this
// machine's two cores share them; a machine with more cores runs 'auto' on more): an MLP with batch norm and dropout, large enough that its products, bias + activation
// passes, batch-norm passes and Adam updates are all split over the worker pool.
import { adam } from '@nnkit/optimizers';
import { createRng, init, tensor } from '@nnkit/tensor-wasm';
import { afterAll, expect, test } from 'vitest';
import { batchNorm } from './batch-norm';
import { dense } from './dense';
import { dropout } from './dropout';
import { sequential } from './sequential';

afterAll(() => init({ threads: 'auto' }));

const ROWS = 512;
const FEATURES = 300;

async function train(dtype: 'float32' | 'float64', threads: number): Promise<string[]> {
  await init({ threads });
  const rng = createRng(5);
  const values = Array.from({ length: ROWS * FEATURES }, () => rng.normal());
  const labels = Array.from({ length: ROWS }, () => rng.int(10));
  const x = tensor(values, [ROWS, FEATURES], dtype);
  const model = sequential([dense(160, { activation: 'relu' }), batchNorm(), dropout(0.2), dense(10)], {
    inputShape: [FEATURES], seed: 11, dtype,
  });
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 1e-3 }) });
  await model.fit(x, labels, { epochs: 3, batchSize: 256, seed: 3 });
  const weights = model.getWeights().map((w) => Buffer.from(w.toArray().buffer).toString('base64'));
  model.dispose();
  x.dispose();
  return weights;
}

test.each(['float32', 'float64'] as const)('%s: the weights after three epochs of fit are the same bits on 1, 2, 3, 4 and 8 threads', async (dtype) => {
  const one = await train(dtype, 1);
  for (const threads of [2, 3, 4, 8]) expect(await train(dtype, threads), `${threads} threads`).toEqual(one);
}, 120_000);
