import { moons, oneHot } from '@nnkit/data';
import { adam } from '@nnkit/optimizers';
import {
  abs, add, cast, init, log, logSoftmax, mean, memory, minimum, mul, neg, NnkitError, sigmoid, square, sub, sum, type Tensor, tensor, zeros,
} from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { dense } from '../dense';
import { gradCheck } from '../grad-check';
import { loadModel } from '../io/load-model';
import { sequential } from '../sequential';
import { plainSgd } from '../test-utils';
import { resolveLoss } from './index';

beforeAll(async () => {
  await init();
});

const DELTA = 1;
/** Huber loss with δ = 1: ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond; mean over the elements. */
function huber(yTrue: Tensor, yPred: Tensor): Tensor {
  const a = abs(sub(yPred, yTrue));
  const quadratic = minimum(a, DELTA);
  return mean(add(mul(square(quadratic), 0.5), mul(sub(a, quadratic), DELTA)));
}

/** Binary focal loss from logits (γ = 2): −mean((1 − p_t)² log p_t), p_t = p for y = 1 and 1 − p for y = 0. */
function focal(yTrue: Tensor, yPred: Tensor): Tensor {
  const p = sigmoid(yPred);
  const pt = add(mul(yTrue, p), mul(sub(1, yTrue), sub(1, p)));
  return neg(mean(mul(square(sub(1, pt)), log(pt))));
}

describe('compile({ loss: (yTrue, yPred) => scalar })', () => {
  test('Huber: the loss and the weight gradients of a trainStep match a hand computation', () => {
    const model = sequential([dense(1)], { inputShape: [2], dtype: 'float64' });
    model.setWeights([tensor([0.5, -1], [2, 1], 'float64'), tensor([0.25], [1], 'float64')]);
    model.compile({ loss: huber, optimizer: plainSgd(0) });
    const xs = [[1, 2], [-1, 0.5], [3, 1], [0, -2]];
    const ys = [0, 1, -0.5, 1];
    // The targets as a plain array: a model with one output reads it as a Tensor [m, 1].
    const loss = model.trainStep(tensor(xs.flat(), [4, 2], 'float64'), ys);
    let expected = 0;
    const dPred = xs.map(([a, b], i) => {
      const r = 0.5 * a - b + 0.25 - ys[i];
      expected += Math.abs(r) <= DELTA ? 0.5 * r * r : DELTA * (Math.abs(r) - 0.5 * DELTA);
      return Math.max(-DELTA, Math.min(DELTA, r)) / xs.length;
    });
    expect(loss).toBeCloseTo(expected / xs.length, 14);
    const [dKernel, dBias] = model.parameters().map((p) => Array.from(p.grad.toArray()));
    expect(dKernel[0]).toBeCloseTo(xs.reduce((s, [a], i) => s + a * dPred[i], 0), 14);
    expect(dKernel[1]).toBeCloseTo(xs.reduce((s, [, b], i) => s + b * dPred[i], 0), 14);
    expect(dBias[0]).toBeCloseTo(dPred.reduce((s, v) => s + v, 0), 14);
    model.dispose();
  });

  test('focal loss: value and d loss / d logits against the formula', () => {
    const z = [2, -1, 0.3, -3, 1.5];
    const y = [1, 1, 0, 0, 1];
    const pred = tensor(z, [5, 1], 'float64');
    const targets = tensor(y, [5, 1], 'float64');
    const grad = zeros([5, 1], 'float64');
    const value = resolveLoss(focal, 'test').compute(pred, targets, grad);
    let expected = 0;
    const g = grad.toArray();
    z.forEach((zi, i) => {
      const p = 1 / (1 + Math.exp(-zi));
      const pt = y[i] === 1 ? p : 1 - p;
      expected += -((1 - pt) ** 2) * Math.log(pt);
      // d/dp_t of −(1 − p_t)² log p_t, times d p_t / d z = ±p(1 − p), over m.
      const dPt = 2 * (1 - pt) * Math.log(pt) - (1 - pt) ** 2 / pt;
      expect(g[i]).toBeCloseTo((dPt * (y[i] === 1 ? 1 : -1) * p * (1 - p)) / z.length, 14);
    });
    expect(value).toBeCloseTo(expected / z.length, 14);
    for (const t of [pred, targets, grad]) t.dispose();
  });

  test('a softmax cross-entropy written with logSoftmax trains to the built-in loss\'s weights (float64)', async () => {
    const { x, labels } = moons({ n: 120, noise: 0.2, seed: 7 });
    const x64 = cast(x, 'float64');
    const y = cast(oneHot(labels, 2), 'float64');
    const crossEntropy = (yTrue: Tensor, yPred: Tensor) => neg(mean(sum(mul(yTrue, logSoftmax(yPred)), 1)));
    const run = async (loss: 'softmaxCrossEntropy' | typeof crossEntropy) => {
      const model = sequential([dense(8, { activation: 'tanh' }), dense(2)], { inputShape: [2], dtype: 'float64', seed: 5 });
      model.compile({ loss, optimizer: adam({ learningRate: 0.05 }), metrics: ['accuracy'] });
      const history = await model.fit(x64, y, { epochs: 5, batchSize: 16, seed: 2 });
      const weights = model.getWeights().map((w) => Array.from(w.toArray()));
      model.dispose();
      return { weights, history };
    };
    const builtIn = await run('softmaxCrossEntropy');
    const custom = await run(crossEntropy);
    let worst = 0;
    builtIn.weights.forEach((w, i) => {
      w.forEach((v, j) => {
        worst = Math.max(worst, Math.abs(v - custom.weights[i][j]));
      });
    });
    expect(worst).toBeLessThan(1e-12);
    // The accuracy metric compares arg-max with the one-hot rows, as for the built-in loss.
    expect(custom.history.epochs.map((e) => e.accuracy)).toEqual(builtIn.history.epochs.map((e) => e.accuracy));
    for (const t of [x, x64, y]) t.dispose();
  });

  test('accuracy: arg-max against class ids, > 0 against 0/1 targets for one output; memory stays flat', async () => {
    const { x, labels } = moons({ n: 100, noise: 0.1, seed: 1 });
    const ids = sequential([dense(8, { activation: 'relu' }), dense(2)], { inputShape: [2], seed: 1 });
    // Class ids [m] (float, as a plain array becomes for a model with several outputs): pick each row's log-probability.
    const nll = (yTrue: Tensor, yPred: Tensor) => neg(mean(sum(mul(cast(oneHotOf(yTrue, 2), yPred.dtype), logSoftmax(yPred)), 1)));
    ids.compile({ loss: nll, optimizer: adam({ learningRate: 0.05 }), metrics: ['accuracy'] });
    const seen: number[] = [];
    await ids.fit(x, Array.from(labels), { epochs: 20, batchSize: 25, callbacks: [{ onEpochEnd: () => { seen.push(memory().tensors); } }] });
    expect(seen.at(-1)).toBe(seen[1]);
    // trainStep with the ids as an array: the Tensor made for them is freed after the step.
    const xb = x.rows(0, 10);
    ids.trainStep(xb, Array.from(labels).slice(0, 10));
    const afterStep = memory();
    for (let i = 0; i < 5; i++) ids.trainStep(xb, Array.from(labels).slice(0, 10));
    expect(memory()).toEqual(afterStep);
    xb.dispose();
    const byIds = ids.evaluate(x, Array.from(labels));
    expect(byIds.accuracy).toBeGreaterThan(0.85);
    const logits = ids.predict(x).toArray();
    let correct = 0;
    for (let i = 0; i < labels.length; i++) if ((logits[2 * i + 1] > logits[2 * i] ? 1 : 0) === labels[i]) correct++;
    expect(byIds.accuracy).toBe(correct / labels.length);

    const one = sequential([dense(8, { activation: 'relu' }), dense(1)], { inputShape: [2], seed: 1 });
    one.compile({ loss: focal, optimizer: adam({ learningRate: 0.05 }), metrics: ['accuracy'] });
    await one.fit(x, Array.from(labels), { epochs: 20, batchSize: 25 });
    const r = one.evaluate(x, Array.from(labels));
    const out = one.predict(x).toArray();
    let right = 0;
    for (let i = 0; i < labels.length; i++) if (out[i] > 0 === (labels[i] === 1)) right++;
    expect(r.accuracy).toBe(right / labels.length);
    expect(r.accuracy).toBeGreaterThan(0.85);
    ids.dispose();
    one.dispose();
    x.dispose();
  });

  test('saved with its optimizer, a model trained with a custom loss loads with { loss }', async () => {
    const { x, labels } = moons({ n: 40, noise: 0.1, seed: 2 });
    const model = sequential([dense(1)], { inputShape: [2], seed: 1 });
    model.compile({ loss: focal, optimizer: adam({ learningRate: 0.05 }), metrics: ['accuracy'] });
    await model.fit(x, Array.from(labels), { epochs: 2, batchSize: 10 });
    const saved = await model.save(undefined, { includeOptimizer: true });
    await expect(loadModel(saved)).rejects.toThrow(/trained with a custom loss function.*loadModel\(source, \{ loss: myLoss \}\)/);
    const loaded = await loadModel(saved, { loss: focal });
    expect(loaded.loss?.fn).toBe(focal);
    expect(loaded.evaluate(x, Array.from(labels)).loss).toBeCloseTo(model.evaluate(x, Array.from(labels)).loss, 6);
    loaded.dispose();
    model.dispose();
  });

  test('gradCheck passes for a custom loss', () => {
    const { x, labels } = moons({ n: 8, noise: 0.1, seed: 3 });
    const model = sequential([dense(3, { activation: 'tanh' }), dense(1)], { inputShape: [2], seed: 4 });
    const r = gradCheck(model, x, Array.from(labels), { loss: focal });
    expect(r.passed).toBe(true);
    model.dispose();
    x.dispose();
  });
});

/** One-hot rows of class ids given as a float Tensor [m] (no gradient flows through them). */
function oneHotOf(ids: Tensor, classes: number): Tensor {
  const values = ids.toArray();
  const rows = new Float64Array(values.length * classes);
  values.forEach((c, i) => {
    rows[i * classes + c] = 1;
  });
  return tensor(rows, [values.length, classes], 'float64');
}

describe('bad input', () => {
  const model = () => {
    const m = sequential([dense(2)], { inputShape: [2], dtype: 'float64' });
    return m;
  };
  const x = () => tensor([1, 2, 3, 4], [2, 2], 'float64');
  const y = () => tensor([1, 0, 0, 1], [2, 2], 'float64');

  test('a loss of the wrong arity is refused by compile()', () => {
    const m = model();
    expect(() => m.compile({ loss: ((yPred: Tensor) => mean(yPred)) as never, optimizer: plainSgd(0.1) })).toThrow(/compile\(\): the loss function takes 1 argument; expected \(yTrue, yPred\) => scalar Tensor/);
    const three = (a: Tensor, b: Tensor, c: Tensor) => mean(add(a, add(b, c)));
    expect(() => m.compile({ loss: three as never, optimizer: plainSgd(0.1) })).toThrow(/'three' takes 3 arguments/);
    m.dispose();
  });

  test('a non-scalar or a non-Tensor result names the loss and what was expected', () => {
    const m = model();
    const perRow = (yTrue: Tensor, yPred: Tensor) => sum(square(sub(yPred, yTrue)), 1);
    m.compile({ loss: perRow, optimizer: plainSgd(0.1) });
    const before = m.getWeights().map((w) => Array.from(w.toArray()));
    const err = (() => {
      try {
        m.trainStep(x(), y());
      } catch (e) {
        return e;
      }
    })() as NnkitError;
    expect(err).toBeInstanceOf(NnkitError);
    expect(err.code).toBe('INVALID_SHAPE');
    expect(err.message).toMatch(/the loss function 'perRow' returned a Tensor of shape \[2\]; expected a scalar \(one element\): reduce it with mean\(\)/);
    // Nothing changed.
    expect(m.getWeights().map((w) => Array.from(w.toArray()))).toEqual(before);
    m.compile({ loss: (_yTrue: Tensor, _yPred: Tensor) => 0.5 as unknown as Tensor, optimizer: plainSgd(0.1) });
    expect(() => m.trainStep(x(), y())).toThrow(/the loss function returned 0.5; expected a scalar Tensor/);
    expect(() => m.evaluate(x(), tensor([1, 2, 3], [3], 'float64'))).toThrow(/y of shape \[3\] does not have 2 rows/);
    m.dispose();
  });
});
