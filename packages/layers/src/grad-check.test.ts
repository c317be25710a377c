import { moons } from '@nnkit/data';
import { l2 } from '@nnkit/regularizers';
import { affine, init, type Tensor, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { activation } from './activation-layer';
import { batchNorm } from './batch-norm';
import { Dense, type DenseOptions, dense } from './dense';
import { dropout } from './dropout';
import { GRAD_CHECK_THRESHOLD, gradCheck } from './grad-check';
import type { BackwardOptions } from './layer';
import { sequential } from './sequential';
import type { Regularizer } from './types';

beforeAll(async () => {
  await init();
});

/** A dense layer whose backward scales its kernel gradient by 1.01: a 1 % bug. */
class OffByOnePercentDense extends Dense {
  override backward(dy: Tensor, opts?: BackwardOptions): Tensor | null {
    const dx = super.backward(dy, opts);
    const g = this.parameters()[0].grad;
    affine(g, 1.01, 0, { out: g });
    return dx;
  }
  override clone(): OffByOnePercentDense {
    return new OffByOnePercentDense(this.units, { activation: this.activation, init: this.init, name: this.name } as DenseOptions);
  }
}

function data(n = 16) {
  const { x, labels } = moons({ n: n, noise: 0.1, seed: 3 });
  return { x, labels };
}

test('an MLP with batch norm, dropout and L2 passes at initialization and after training, in float64', async () => {
  const model = sequential(
    [dense(6, { activation: 'tanh', init: 'he', regularizer: l2(0.7) }), dense(5, { useBias: false }), batchNorm(), activation('relu'), dropout(0.3), dense(2)],
    { inputShape: [2], seed: 5, dtype: 'float64' },
  );
  const { x, labels } = data();
  const x64 = tensor(x.toArray(), x.shape, 'float64');
  const atInit = gradCheck(model, x64, labels, { loss: 'softmaxCrossEntropy' });
  expect(atInit.relativeDifference).toBeLessThan(GRAD_CHECK_THRESHOLD);
  expect(atInit.passed).toBe(true);
  expect(atInit.checked).toBe(atInit.total);
  expect(atInit.total).toBe(2 * 6 + 6 + 6 * 5 + 5 + 5 + 5 * 2 + 2);
  expect(atInit.dropoutDisabled).toBe(true);
  expect(atInit.notes.join(' ')).toMatch(/dropout was turned off in 'dropout_1'/);
  const { sgd } = await import('@nnkit/optimizers');
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: 0.1 }) });
  await model.fit(x64, labels, { epochs: 20, batchSize: 8, seed: 1 });
  const trained = gradCheck(model, x64, labels);
  expect(trained.passed).toBe(true);
});

test('a float32 model is checked through a float64 copy and passes; the model is untouched', () => {
  const model = sequential([dense(4, { activation: 'sigmoid' }), dense(3, { activation: 'leakyRelu' }), dense(2)], { inputShape: [2], seed: 9 });
  const before = model.getWeights().map((w) => Array.from(w.toArray()));
  const { x, labels } = data();
  const result = gradCheck(model, x, labels, { loss: 'softmaxCrossEntropy' });
  expect(result.passed).toBe(true);
  expect(result.notes.join(' ')).toMatch(/float64 copy/);
  expect(model.getWeights().map((w) => Array.from(w.toArray()))).toEqual(before);
});

test('a 1 % error in one backward pass is caught and named', () => {
  const model = sequential([new OffByOnePercentDense(5, { activation: 'relu', name: 'buggy' }), dense(2)], { inputShape: [2], seed: 2, dtype: 'float64' });
  const { x, labels } = data();
  const result = gradCheck(model, tensor(x.toArray(), x.shape, 'float64'), labels, { loss: 'softmaxCrossEntropy' });
  expect(result.passed).toBe(false);
  expect(result.relativeDifference).toBeGreaterThan(1e-3);
  expect(result.worst[0].name).toBe('buggy/kernel');
  const w = result.worst[0];
  expect(w.analytic / w.numeric).toBeCloseTo(1.01, 6);
});

test('the regularization term is part of the check: a regularizer that forgets its gradient fails', () => {
  const penaltyOnly: Regularizer = { penalty: (w, m) => l2(5).penalty(w, m), addGrad: () => {} };
  const model = sequential([dense(4, { activation: 'tanh', regularizer: penaltyOnly }), dense(2)], { inputShape: [2], seed: 4, dtype: 'float64' });
  const { x, labels } = data();
  const result = gradCheck(model, tensor(x.toArray(), x.shape, 'float64'), labels, { loss: 'softmaxCrossEntropy' });
  expect(result.passed).toBe(false);
  expect(result.worst[0].name).toBe('dense_1/kernel');
  const withL2 = sequential([dense(4, { activation: 'tanh', regularizer: l2(5) }), dense(2)], { inputShape: [2], seed: 4, dtype: 'float64' });
  expect(gradCheck(withL2, tensor(x.toArray(), x.shape, 'float64'), labels, { loss: 'softmaxCrossEntropy' }).passed).toBe(true);
});

test('large models are checked on a seeded sample; sigmoid and MSE losses pass too', () => {
  const { x, labels } = data();
  const model = sequential([dense(40, { activation: 'relu', init: 'he' }), dense(30, { activation: 'tanh' }), dense(1)], { inputShape: [2], seed: 3, dtype: 'float64' });
  const y = tensor(Float64Array.from(labels), [labels.length, 1], 'float64');
  const x64 = tensor(x.toArray(), x.shape, 'float64');
  const sampled = gradCheck(model, x64, y, { loss: 'sigmoidCrossEntropy', maxEntries: 100, seed: 1 });
  expect(sampled.checked).toBe(100);
  expect(sampled.total).toBe(2 * 40 + 40 + 40 * 30 + 30 + 30 + 1);
  expect(sampled.notes.join(' ')).toMatch(/seeded sample of 100 of 1381/);
  expect(sampled.passed).toBe(true);
  expect(gradCheck(model, x64, y, { loss: 'meanSquaredError', maxEntries: 100 }).passed).toBe(true);
});

test('bad arguments are refused', () => {
  const model = sequential([dense(2)], { inputShape: [2] });
  const { x, labels } = data();
  expect(() => gradCheck(model, x, labels)).toThrow(/pass \{ loss \} or compile the model first/);
  expect(() => gradCheck(model, x, labels, { loss: 'softmaxCrossEntropy', epsilon: 0 })).toThrow(/epsilon must be a number in \(0, 1\], got 0/);
  expect(() => gradCheck(sequential([dense(2)]), x, labels, { loss: 'softmaxCrossEntropy' })).toThrow(/no weights yet/);
});
