import { init, memory, randn, scope } from '@nnkit/tensor-wasm';
import { adam } from '@nnkit/optimizers';
import { beforeAll, expect, test } from 'vitest';
import { dense } from './dense';
import { batchNorm } from './batch-norm';
import { dropout } from './dropout';
import { sequential } from './sequential';

beforeAll(() => init());

test('state first created inside a caller’s scope() (weights, cached buffers, optimizer moments) survives it', () => {
  const x = randn([10, 4], { seed: 1 });
  const labels = Int32Array.from({ length: 10 }, (_, i) => i % 3);
  // No inputShape: the model builds on its first training step, which happens inside a scope.
  const model = sequential([dense(8, { activation: 'relu' }), batchNorm(), dropout(0.2), dense(3)], { seed: 3 });
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam() });
  scope(() => model.trainStep(x, labels));
  const first = scope(() => Array.from(model.predict(x.rows(0, 6)).toArray()));
  scope(() => model.trainStep(x.rows(0, 7), labels.subarray(0, 7)));
  // Everything the first calls cached is still alive: the same calls work again, outside any scope.
  expect(model.trainStep(x, labels)).toBeGreaterThan(0);
  expect(() => model.predict(x.rows(0, 6))).not.toThrow();
  expect(first).toHaveLength(18);
  const before = memory();
  scope(() => {
    model.predict(x.rows(0, 6));
    model.trainStep(x.rows(0, 7), labels.subarray(0, 7));
  });
  expect(memory()).toEqual(before);
});
