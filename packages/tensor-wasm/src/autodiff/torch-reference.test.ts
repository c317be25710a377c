// Every rule against PyTorch's autograd in float64 (fixtures from scripts/make-autodiff-fixtures.py).
import { beforeAll, expect, test } from 'vitest';
import fixture from '../../test/fixtures/autodiff.json';
import {
  abs, add, affine, batchNormNormalize, batchNormStatistics, concat, denseForward, div, sigmoidCrossEntropyLoss, softmaxCrossEntropyLoss, zeros, exp, gatherRows, grads, init, leakyRelu, log, logSoftmax, matmul, max, maximum, mean, min, minimum, mul, neg, relu, scope,
  sigmoid, sign, softmax, sqrt, square, sub, sum, tanh, tensor, type Tensor, transpose, valueAndGrads,
} from '../index';

beforeAll(() => init());

type F = (...xs: Tensor[]) => Tensor;
const binary = (op: (a: Tensor, b: Tensor) => Tensor): F => (a, b) => op(a, b);
/** The same functions as the fixture script's, written with nnkit's ops. */
const cases: Record<string, F> = {
  add_row: binary(add), add_both: binary(add), sub_3d: binary(sub), sub_rev: binary(sub), mul_col: binary(mul),
  div_row: binary(div), div_rev: binary(div),
  numbers: (a) => div(mul(sub(1.5, a), 2.5), add(mul(a, a), 1)),
  fanout: (x) => add(mul(x, x), exp(x)),
  neg: (x) => neg(x), exp: (x) => exp(x), log: (x) => log(x), sqrt: (x) => sqrt(x), square: (x) => square(x),
  abs: (x) => abs(x), sign: (x) => sign(x), relu: (x) => relu(x), leakyRelu: (x) => leakyRelu(x, 0.1),
  sigmoid: (x) => sigmoid(x), tanh: (x) => tanh(x), affine: (x) => affine(x, 1.5, -0.25),
  maximum: binary(maximum), minimum: binary(minimum), maximum_same: binary(maximum),
  matmul: (a, b) => matmul(a, b),
  matmul_tA: (a, b) => matmul(a, b, { transposeA: true }),
  matmul_tB: (a, b) => matmul(a, b, { transposeB: true }),
  matmul_tAB: (a, b) => matmul(a, b, { transposeA: true, transposeB: true }),
  sum_all: (x) => sum(x), sum_0: (x) => sum(x, 0), sum_1_keep: (x) => sum(x, 1, { keepDims: true }), sum_last_3d: (x) => sum(x, -1),
  mean_all_keep: (x) => mean(x, undefined, { keepDims: true }),
  mean_1_keep: (x) => mean(x, 1, { keepDims: true }), mean_0_3d: (x) => mean(x, 0),
  max_all: (x) => max(x), max_1_keep: (x) => max(x, 1, { keepDims: true }), max_last_3d: (x) => max(x, -1), max_distinct: (x) => max(x, 0),
  min_all_keep: (x) => min(x, undefined, { keepDims: true }), min_0: (x) => min(x, 0),
  min_0_3d_keep: (x) => min(x, 0, { keepDims: true }),
  rows_mid: (x) => x.rows(1, 3), rows_3d: (x) => x.rows(2, 4), rows_overlap: (x) => mul(x.rows(0, 3), exp(x.rows(1, 4))),
  gather_repeat: (x) => gatherRows(x, [3, 0, 3, 1, 3, 0]), gather_3d: (x) => gatherRows(x, [1, 1, 0]),
  gather_fanout: (x) => mul(gatherRows(x, [2, 2, 0, 1]), x.rows(0, 4)),
  concat_rows: (a, b) => concat([a, b]), concat_cols_fanout: (a, b) => concat([a, exp(b), a], -1), concat_mid_3d: (a, b) => concat([a, b], 1),
  softmax: (x) => softmax(x), softmax_3d: (x) => softmax(x), logSoftmax: (x) => logSoftmax(x),
  reshape: (x) => x.reshape([2, 6]), transpose: (x) => transpose(x), transpose_3d: (x) => transpose(x, [2, 0, 1]),
  mlp: (x, w1, b1, w2, b2) => logSoftmax(add(matmul(relu(add(matmul(x, w1), b1)), w2), b2)),
  dense_relu: (x, w, b) => denseForward(x, w, b, { activation: 'relu' }),
  dense_linear_nobias: (x, w) => denseForward(x, w, null),
  dense_leaky: (x, w, b) => denseForward(x, w, b, { activation: 'leakyRelu', alpha: 0.1 }),
  dense_sigmoid: (x, w, b) => denseForward(x, w, b, { activation: 'sigmoid' }),
  dense_tanh_fanout: (x, w, b) => matmul(denseForward(x, w, b, { activation: 'tanh' }), w, { transposeB: true }),
  softmax_xent_ids: (z) => softmaxCrossEntropyLoss(z, CLASS_IDS),
  softmax_xent_onehot: (z) => softmaxCrossEntropyLoss(z, oneHot(CLASS_IDS, 3)),
  softmax_xent_probs: (z, p) => softmaxCrossEntropyLoss(z, p),
  softmax_xent_mlp: (x, w, b) => softmaxCrossEntropyLoss(denseForward(x, w, b, { activation: 'relu' }), new Int32Array(CLASS_IDS)),
  sigmoid_xent: (z, t) => sigmoidCrossEntropyLoss(z, t),
  batch_norm_train: (x, g, b) => batchNormTrain(x, g, b).y,
  batch_norm_train_parts: (x, g, b) => {
    const { y, xhat, mean, std } = batchNormTrain(x, g, b);
    return add(mul(y, xhat), mul(mean, std));
  },
  batch_norm_inference: (x, mu, sd, g, b) => {
    const [m, n] = x.shape;
    return batchNormNormalize(x, mu, sd, g, b, { xhat: zeros([m, n], 'float64'), out: zeros([m, n], 'float64') });
  },
  batch_norm_mlp: (x, w, g, b) => relu(batchNormTrain(matmul(x, w), g, b).y),
  layer_norm: (x, g) => {
    const c = sub(x, mean(x, 1, { keepDims: true }));
    return mul(div(c, sqrt(add(mean(square(c), 1, { keepDims: true }), 1e-5))), g);
  },
};

/** The class ids of the fixture script's cross-entropy cases. */
const CLASS_IDS = [2, 0, 1, 2];

function oneHot(ids: readonly number[], k: number): Tensor {
  return tensor(ids.flatMap((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))), [ids.length, k], 'float64');
}

/** Batch normalization in training mode with the fused ops, ε = 1e-5 as the script's. */
function batchNormTrain(x: Tensor, gamma: Tensor, beta: Tensor): { y: Tensor; xhat: Tensor; mean: Tensor; std: Tensor } {
  const [m, n] = x.shape;
  const [mean, variance, std] = [zeros([n], 'float64'), zeros([n], 'float64'), zeros([n], 'float64')];
  batchNormStatistics(x, { mean, variance, std, epsilon: 1e-5 });
  const xhat = zeros([m, n], 'float64');
  const y = batchNormNormalize(x, mean, std, gamma, beta, { xhat, out: zeros([m, n], 'float64') });
  return { y, xhat, mean, std };
}

/** max |g − ref| / max |ref| (absolute when the reference is all zeros). */
function relativeError(got: ArrayLike<number>, want: readonly number[]): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return scale === 0 ? err : err / scale;
}

test('the fixture covers every case defined here, and the reverse', () => {
  expect(fixture.cases.map((c) => c.name).sort()).toEqual(Object.keys(cases).sort());
});

test.each(fixture.cases.map((c) => [c.name, c] as const))('%s: gradients match PyTorch to 1e-9 in float64', (name, c) => {
  scope(() => {
    const xs = c.inputs.map((i) => tensor(i.values, i.shape, 'float64'));
    const w = tensor(c.w.values, c.w.shape, 'float64');
    const f = cases[name];
    const { value, grads: gs } = valueAndGrads((...args) => sum(mul(f(...args), w)))(xs);
    expect(relativeError([value.item()], [c.loss])).toBeLessThan(1e-12);
    gs.forEach((g, i) => {
      expect(g.shape).toEqual(c.inputs[i].shape);
      expect(relativeError(g.toArray(), c.grads[i])).toBeLessThan(1e-9);
    });
    // grads() gives the same numbers as valueAndGrads().
    const again = grads((...args) => sum(mul(f(...args), w)))(xs);
    expect(again.map((g) => Array.from(g.toArray()))).toEqual(gs.map((g) => Array.from(g.toArray())));
  });
});
