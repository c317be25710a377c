// Every form of labels that @nnkit/data and @nnkit/metrics produce gives the same loss, in fit,
// evaluate, trainStep and the loss functions; the reference is the loss computed by hand from
// logits computed by hand (weights set explicitly, learning rate 0 so fit's epoch loss is the loss).
import { sgd } from '@nnkit/optimizers';
import { init, memory, NnkitError, type Tensor, tensor, zeros } from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { dense } from './dense';
import { sigmoidCrossEntropy, softmaxCrossEntropy } from './losses/index';
import { sequential } from './sequential';

beforeAll(async () => {
  await init();
});

const X = [[1, 0], [0, 1], [1, 1], [0, 0]];
const m = X.length;
const xs = () => tensor(X.flat(), [m, 2]);

/** logits = x·W + b by hand. */
function logitsOf(w: number[][], b: number[]): number[][] {
  return X.map((row) => b.map((bj, j) => bj + row[0] * w[0][j] + row[1] * w[1][j]));
}

/** A model whose weights are W and b, compiled with a learning rate of 0 (its weights never move). */
function fixedModel(w: number[][], b: number[], loss: 'softmaxCrossEntropy' | 'sigmoidCrossEntropy') {
  const model = sequential([dense(b.length)], { inputShape: [2], seed: 1 });
  model.setWeights([tensor(w.flat(), [2, b.length]), tensor(b, [b.length])]);
  model.compile({ loss, optimizer: sgd({ learningRate: 0 }) });
  return model;
}

/** The loss through every entry point that takes labels; all must agree. */
async function lossesOf(model: ReturnType<typeof fixedModel>, logits: number[][], y: Tensor | ArrayLike<number>, fn: (z: Tensor, y: Tensor | ArrayLike<number>) => { loss: number; grad: Tensor }) {
  const z = tensor(logits.flat(), [m, logits[0].length]);
  const direct = fn(z, y);
  direct.grad.dispose();
  const history = await model.fit(xs(), y, { epochs: 1, batchSize: m, shuffle: false, validationData: [xs(), y] });
  return {
    function: direct.loss,
    evaluate: model.evaluate(xs(), y).loss,
    trainStep: model.trainStep(xs(), y),
    fit: history.epochs[0].loss,
    fitValidation: history.epochs[0].valLoss!,
  };
}

describe('softmaxCrossEntropy: class ids in every form, one-hot and probability rows', () => {
  const W = [[1, -1, 0.5], [0.2, 0.3, -0.4]];
  const B = [0.1, 0, -0.1];
  const ids = [2, 0, 1, 2];
  const logits = logitsOf(W, B);
  const lse = (z: number[]) => Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
  /** −Σ y·log softmax(z), averaged over the rows. */
  const handLoss = (rows: number[][]) => logits.reduce((s, z, i) => s + rows[i].reduce((t, yj, j) => t + yj * (lse(z) - z[j]), 0), 0) / m;
  const oneHotRows = ids.map((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0)));
  const expected = handLoss(oneHotRows);

  test.each([
    ['a plain array', () => ids],
    ['an Int32Array (what metrics and argMax return)', () => Int32Array.from(ids)],
    ['a Float32Array', () => Float32Array.from(ids)],
    ['a Tensor [m] of ids', () => tensor(ids, [m])],
    ['a Tensor [m, 1] of ids (what split() returns for such labels)', () => tensor(ids, [m, 1])],
    ['one-hot rows [m, k] (oneHot())', () => tensor(oneHotRows.flat(), [m, 3])],
  ])('%s', async (_, make) => {
    const got = await lossesOf(fixedModel(W, B, 'softmaxCrossEntropy'), logits, make(), softmaxCrossEntropy);
    for (const v of Object.values(got)) expect(Math.abs(v - expected)).toBeLessThan(1e-6);
  });

  test('probability rows give the soft-target loss', async () => {
    const rows = [[0.2, 0.3, 0.5], [0.7, 0.2, 0.1], [0, 1, 0], [0.25, 0.25, 0.5]];
    const got = await lossesOf(fixedModel(W, B, 'softmaxCrossEntropy'), logits, tensor(rows.flat(), [m, 3]), softmaxCrossEntropy);
    const soft = handLoss(rows);
    expect(Math.abs(soft - expected)).toBeGreaterThan(0.05); // a different loss from the hard labels'
    for (const v of Object.values(got)) expect(Math.abs(v - soft)).toBeLessThan(1e-6);
  });
});

describe('sigmoidCrossEntropy: targets [m] or [m, 1], as arrays or Tensors', () => {
  const W = [[1.5], [-0.7]];
  const B = [0.2];
  const logits = logitsOf(W, B);
  /** max(z, 0) − z·t + log(1 + e^−|z|), averaged. */
  const handLoss = (t: number[]) => logits.reduce((s, [z], i) => s + Math.max(z, 0) - z * t[i] + Math.log1p(Math.exp(-Math.abs(z))), 0) / m;

  for (const [what, t] of [['0/1 labels', [0, 1, 1, 0]], ['probabilities', [0.2, 0.9, 1, 0]]] as const) {
    const expected = handLoss([...t]);
    test.each([
      ['a plain array', () => [...t]],
      ['a Float32Array', () => Float32Array.from(t)],
      ['a Tensor [m]', () => tensor([...t], [m])],
      ['a Tensor [m, 1] (data sets and split())', () => tensor([...t], [m, 1])],
    ])(`${what} as %s`, async (_, make) => {
      const got = await lossesOf(fixedModel(W, B, 'sigmoidCrossEntropy'), logits, make(), sigmoidCrossEntropy);
      for (const v of Object.values(got)) expect(Math.abs(v - expected)).toBeLessThan(1e-6);
    });
  }

  test('targets made from plain arrays are freed; trainStep reuses one buffer for them and creates no tensor', async () => {
    const model = fixedModel(W, B, 'sigmoidCrossEntropy');
    const x = xs();
    const flat = tensor([0, 1, 1, 0], [m]);
    model.trainStep(x, [0, 1, 1, 0]); // the first step allocates the model's buffers
    const before = memory();
    // Tensor ids count every Tensor object made, views too: consecutive probes mean none in between.
    const probe = () => {
      const t = zeros([1]);
      t.dispose();
      return t.id;
    };
    const first = probe();
    for (let i = 0; i < 5; i++) {
      model.trainStep(x, [0, 1, 1, 0]);
      model.trainStep(x, flat);
    }
    expect(probe()).toBe(first + 1);
    expect(model.evaluate(x, [0, 1, 1, 0]).loss).toBeGreaterThan(0);
    await model.fit(x, [0, 1, 1, 0], { epochs: 2, batchSize: 2, validationData: [x, [1, 1, 0, 0]] });
    expect(sigmoidCrossEntropy(tensor(logits.flat(), [m, 1]), [0, 1, 1, 0]).grad.shape).toEqual([m, 1]);
    expect(memory().tensors).toBe(before.tensors + 2); // the logits above and their gradient, nothing else
  });
});

describe('targets that are not what the loss means are refused before training', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(NnkitError);
      return [(e as NnkitError).code, (e as NnkitError).message];
    }
    return ['no error', ''];
  };

  test('sigmoid targets outside [0, 1], in every entry point', async () => {
    const model = fixedModel([[1], [1]], [0], 'sigmoidCrossEntropy');
    const before = model.getWeights().map((w) => Array.from(w.toArray()));
    for (const y of [[0, 1, 2, 0], tensor([0, 1, -0.5, 0], [m, 1]), tensor([0, 1, 1.0001, 0], [m])]) {
      expect(code(() => model.trainStep(xs(), y))[0]).toBe('LABEL_OUT_OF_RANGE');
      expect(code(() => model.evaluate(xs(), y))[0]).toBe('LABEL_OUT_OF_RANGE');
      expect(code(() => sigmoidCrossEntropy(zeros([m, 1]), y))[0]).toBe('LABEL_OUT_OF_RANGE');
      await expect(model.fit(xs(), y)).rejects.toMatchObject({ code: 'LABEL_OUT_OF_RANGE', message: expect.stringMatching(/at row 2, column 0; sigmoidCrossEntropy needs targets in \[0, 1\]/) });
    }
    expect(code(() => model.evaluate(xs(), tensor([0, Number.NaN, 1, 0], [m, 1])))).toEqual(['NON_FINITE', expect.stringMatching(/y has NaN at row 1, column 0/)]);
    expect(code(() => model.evaluate(xs(), [0, 1, Number.POSITIVE_INFINITY, 0]))).toEqual(['NON_FINITE', expect.stringMatching(/y has Infinity at row 2/)]);
    expect(code(() => model.trainStep(xs(), [0, 1, 2, 0]))[1]).toMatch(/trainStep\(\): yBatch has 2 at row 2, column 0; sigmoidCrossEntropy needs targets in \[0, 1\]/);
    expect(model.getWeights().map((w) => Array.from(w.toArray()))).toEqual(before);
  });

  test('softmax rows that are not distributions: a negative entry, a sum off by more than the tolerance', async () => {
    const model = fixedModel([[1, 0, 0], [0, 1, 0]], [0, 0, 0], 'softmaxCrossEntropy');
    const rows = (r: number[][]) => tensor(r.flat(), [m, 3]);
    const negative = rows([[1, 0, 0], [0, 1, 0], [1.2, -0.2, 0], [0, 0, 1]]);
    const short = rows([[1, 0, 0], [0.5, 0.49, 0], [0, 1, 0], [0, 0, 1]]);
    const counts = rows([[1, 0, 0], [0, 2, 0], [0, 1, 0], [0, 0, 1]]);
    expect(code(() => model.evaluate(xs(), negative))[1]).toMatch(/y has -0.2\d* at row 2, column 1; softmaxCrossEntropy needs one-hot or probability rows \(entries ≥ 0/);
    expect(code(() => model.trainStep(xs(), short))[1]).toMatch(/yBatch: row 1 sums to 0.99\d*; softmaxCrossEntropy needs one-hot or probability rows summing to 1 \(within 0.001\)/);
    expect(code(() => softmaxCrossEntropy(zeros([m, 3]), counts))).toEqual(['LABEL_OUT_OF_RANGE', expect.stringMatching(/labels: row 1 sums to 2/)]);
    await expect(model.fit(xs(), counts)).rejects.toMatchObject({ code: 'LABEL_OUT_OF_RANGE' });
    // Rows rounded to three decimals are within the tolerance.
    const rounded = rows([[0.333, 0.333, 0.334], [0.333, 0.333, 0.333], [0, 1, 0], [0, 0, 1]]);
    expect(Number.isFinite(model.evaluate(xs(), rounded).loss)).toBe(true);
  });

  test('a Tensor [m, 1] of probabilities is not read as class ids for softmax', () => {
    const model = fixedModel([[1, 0], [0, 1]], [0, 0], 'softmaxCrossEntropy');
    expect(code(() => model.evaluate(xs(), tensor([0, 1, 0.7, 0], [m, 1])))).toEqual([
      'LABEL_OUT_OF_RANGE', expect.stringMatching(/label 0.69\d* at index 2 is not a class id in \[0, 1\]; a Tensor \[m\] or \[m, 1\] is read as class ids/),
    ]);
  });
});
