import { moons } from '@nnkit/data';
import { init, NnkitError, tensor, zeros } from '@nnkit/tensor-wasm';
import { sgd } from '@nnkit/optimizers';
import { l2 } from '@nnkit/regularizers';
import { beforeAll, describe, expect, test } from 'vitest';
import { activation } from './activation-layer';
import { batchNorm } from './batch-norm';
import { dense } from './dense';
import { dropout } from './dropout';
import { sequential } from './sequential';

beforeAll(async () => {
  await init();
});

function model3() {
  return sequential([dense(4, { activation: 'relu', init: 'he' }), batchNorm(), dropout(0.2), dense(3)], { inputShape: [2], seed: 1 });
}

test('layer names, parameter names and getWeights in the TensorFlow.js order', () => {
  const model = model3();
  expect(model.layers.map((l) => l.name)).toEqual(['dense_1', 'batch_normalization_1', 'dropout_1', 'dense_2']);
  expect(model.parameters().map((p) => p.name)).toEqual([
    'dense_1/kernel', 'dense_1/bias', 'batch_normalization_1/gamma', 'batch_normalization_1/beta', 'dense_2/kernel', 'dense_2/bias',
  ]);
  expect(model.getWeights().map((w) => w.shape)).toEqual([[2, 4], [4], [4], [4], [4], [4], [4, 3], [3]]);
  expect(model.countParams()).toBe(2 * 4 + 4 + 4 + 4 + 4 * 3 + 3);
  const config = JSON.parse(JSON.stringify(model.getConfig()));
  expect(config.layers.map((l: { className: string }) => l.className)).toEqual(['Dense', 'BatchNormalization', 'Dropout', 'Dense']);
  expect(config.layers[0].config).toMatchObject({ name: 'dense_1', units: 4, activation: 'relu', init: 'he', useBias: true });
  expect(config.layers[2].config).toMatchObject({ rate: 0.2 });
  const regularized = sequential([dense(2, { regularizer: l2(0.5) })], { inputShape: [2] }).getConfig();
  expect(JSON.parse(JSON.stringify(regularized)).layers[0].config.regularizer).toMatchObject({ className: l2(0.5).className, config: l2(0.5).getConfig() });
});

test('setWeights copies values in, after checking every shape first', () => {
  const model = model3();
  const values = model.getWeights().map((w, i) => tensor(new Float32Array(w.size).fill(i + 1), w.shape));
  model.setWeights(values);
  expect(model.getWeights().map((w) => w.toArray()[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  const wrong = [...values];
  wrong[6] = zeros([3, 4]);
  expect(() => model.setWeights(wrong)).toThrow(/weight 6 has shape \[3, 4\]; expected \[4, 3\]/);
  expect(model.getWeights().map((w) => w.toArray()[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(() => model.setWeights(values.slice(1))).toThrow(/got 7 tensors; the model has 8/);
});

test('predict and evaluate in inference mode; predict returns a tensor the caller owns', () => {
  const model = sequential([dense(3, { activation: 'tanh' }), dense(2)], { inputShape: [2], seed: 3 });
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: 0.1 }), metrics: ['accuracy'] });
  const { x, labels } = moons({ n: 50, noise: 0.1, seed: 1 });
  const out = model.predict(x, { batchSize: 7 });
  expect(out.shape).toEqual([50, 2]);
  const again = model.predict(x);
  expect(Array.from(again.toArray())).toEqual(Array.from(out.toArray()));
  const { loss, accuracy } = model.evaluate(x, labels, { batchSize: 16 });
  const logits = out.toArray();
  let total = 0;
  let right = 0;
  for (let i = 0; i < 50; i++) {
    const [a, b] = [logits[2 * i], logits[2 * i + 1]];
    const lse = Math.max(a, b) + Math.log(Math.exp(a - Math.max(a, b)) + Math.exp(b - Math.max(a, b)));
    total += lse - (labels[i] === 0 ? a : b);
    if ((b > a ? 1 : 0) === labels[i]) right++;
  }
  expect(loss).toBeCloseTo(total / 50, 5);
  expect(accuracy).toBe(right / 50);
  out.dispose();
  again.dispose();
});

describe('bad input: a NnkitError naming the value and the expectation, before anything changes', () => {
  const setup = () => {
    const model = sequential([dense(4, { activation: 'relu' }), dense(3)], { inputShape: [2], seed: 1 });
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: 0.1 }) });
    const x = tensor([0, 1, 1, 0, 2, 2, 3, 1], [4, 2]);
    const before = model.getWeights().map((w) => Array.from(w.toArray()));
    const unchanged = () => expect(model.getWeights().map((w) => Array.from(w.toArray()))).toEqual(before);
    return { model, x, unchanged };
  };
  const cases: [string, (s: ReturnType<typeof setup>) => unknown, RegExp, string][] = [
    ['x with the wrong feature count', (s) => s.model.fit(tensor(new Float32Array(12), [4, 3]), [0, 1, 2, 0]), /x of shape \[4, 3\] does not match the model's inputShape \[2\]/, 'SHAPE_MISMATCH'],
    ['predict with the wrong feature count', (s) => s.model.predict(tensor(new Float32Array(3), [1, 3])), /x of shape \[1, 3\] does not match the model's inputShape \[2\]/, 'SHAPE_MISMATCH'],
    ['y with the wrong number of rows', (s) => s.model.fit(s.x, [0, 1, 2]), /got 3 class ids for 4 examples/, 'SHAPE_MISMATCH'],
    ['one-hot y with the wrong number of classes', (s) => s.model.fit(s.x, zeros([4, 2])), /y of shape \[4, 2\] does not fit 4 examples and 3 outputs; expected 4 class ids \(an array, or a Tensor \[4\] or \[4, 1\]\), or one-hot \/ probability rows \[4, 3\]/, 'SHAPE_MISMATCH'],
    ['labels out of range', (s) => s.model.fit(s.x, [0, 1, 3, 0]), /label 3 at index 2 is not a class id in \[0, 2\]/, 'LABEL_OUT_OF_RANGE'],
    ['NaN in x', (s) => s.model.fit(tensor([0, 1, 1, Number.NaN, 2, 2, 3, 1], [4, 2]), [0, 1, 2, 0]), /x has NaN at row 1, column 1; expected finite numbers/, 'NON_FINITE'],
    ['batchSize 0', (s) => s.model.fit(s.x, [0, 1, 2, 0], { batchSize: 0 }), /batchSize must be a positive integer, got 0/, 'INVALID_ARGUMENT'],
    ['batchSize 2.5', (s) => s.model.fit(s.x, [0, 1, 2, 0], { batchSize: 2.5 }), /batchSize must be a positive integer, got 2.5/, 'INVALID_ARGUMENT'],
    ['epochs −1', (s) => s.model.fit(s.x, [0, 1, 2, 0], { epochs: -1 }), /epochs must be an integer ≥ 0, got -1/, 'INVALID_ARGUMENT'],
    ['an empty data set', (s) => s.model.fit(zeros([0, 2]), []), /x of shape \[0, 2\] holds no examples/, 'EMPTY_DATA'],
    ['invalid validation data', (s) => s.model.fit(s.x, [0, 1, 2, 0], { validationData: [s.x, [0, 1, 2, 7]] }), /validationData y: label 7 at index 3/, 'LABEL_OUT_OF_RANGE'],
    ['trainStep with a bad batch', (s) => s.model.trainStep(s.x, [0, 1, -1, 0]), /yBatch: label -1 at index 2/, 'LABEL_OUT_OF_RANGE'],
    ['a float64 x for a float32 model', (s) => s.model.predict(tensor([1, 2], [1, 2], 'float64')), /x is float64 but the model is float32/, 'DTYPE_MISMATCH'],
  ];
  test.each(cases)('%s', async (_, run, message, code) => {
    const s = setup();
    let error: unknown;
    try {
      await run(s);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NnkitError);
    expect((error as NnkitError).message).toMatch(message);
    expect((error as NnkitError).code).toBe(code);
    s.unchanged();
  });

  test('predict before any inputShape is known', () => {
    const model = sequential([dense(3)]);
    expect(() => model.predict(zeros([1, 2]))).toThrow(/predict\(\): the model's inputShape is not known/);
  });

  test('fit without compile, a sigmoid target outside [0, 1], accuracy with MSE, bad layers', async () => {
    const model = sequential([dense(1)], { inputShape: [2] });
    await expect(model.fit(zeros([2, 2]), zeros([2, 1]))).rejects.toThrow(/call model.compile\(\{ loss, optimizer \}\) first/);
    await expect(model.fit(zeros([2, 2]), [0, 2], { loss: 'sigmoidCrossEntropy', optimizer: sgd({ learningRate: 1 }) })).rejects.toThrow(/y has 2 at row 1, column 0; sigmoidCrossEntropy needs targets in \[0, 1\]/);
    expect(() => model.compile({ loss: 'meanSquaredError', optimizer: sgd({ learningRate: 1 }), metrics: ['accuracy'] })).toThrow(/'accuracy' needs a classification loss/);
    expect(() => model.compile({ loss: 'crossEntropy' as never, optimizer: sgd({ learningRate: 1 }) })).toThrow(/loss "crossEntropy" is not one of softmaxCrossEntropy/);
    expect(() => sequential([])).toThrow(/non-empty array of layers/);
    const shared = dense(2);
    sequential([shared], { inputShape: [2] });
    expect(() => sequential([shared], { inputShape: [2] })).toThrow(/already built; a layer belongs to one model/);
    expect(() => dense(0)).toThrow(/units must be a positive integer, got 0/);
    expect(() => activation('gelu' as never)).toThrow(/activation "gelu" is not one of linear, relu/);
  });

  test('batch norm with a last batch of one example is refused before training', async () => {
    const model = sequential([dense(3), batchNorm(), dense(2)], { inputShape: [2], seed: 1 });
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: 0.1 }) });
    const { x, labels } = moons({ n: 9, noise: 0.1, seed: 1 });
    await expect(model.fit(x, labels, { batchSize: 4 })).rejects.toThrow(/9 examples in batches of 4 leave a last batch of 1/);
  });
});
