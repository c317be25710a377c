import { init, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import fixture from '../test/fixtures/torch-reference.json';
import { batchNorm } from './batch-norm';
import { dense } from './dense';
import { GRAD_CHECK_THRESHOLD, gradCheck } from './grad-check';
import { sequential } from './sequential';
import { maxRelError } from './test-utils';

const ref = fixture.batchNorm;
// float64 follows PyTorch's float64 to round-off; float32 to its precision on values of size ~10.
const TOL_F64 = 1e-12;
const TOL_F32 = 2e-5;

beforeAll(async () => {
  await init();
});

describe.each([['float64', TOL_F64], ['float32', TOL_F32]] as const)('batchNorm against PyTorch BatchNorm1d (%s)', (dtype, tol) => {
  test('training forward, backward and running statistics over three steps, then eval', () => {
    const layer = batchNorm({ momentum: ref.momentum, epsilon: ref.epsilon });
    const rng = { dtype };
    const x0 = tensor(ref.steps[0].x, [ref.rows, ref.features], rng.dtype);
    layer.forward(x0); // builds with γ = 1, β = 0 and the initial running statistics
    const [g, b, mm, mv] = layer.getWeights();
    expect(Array.from(g.toArray())).toEqual([1, 1, 1, 1]);
    expect(Array.from(b.toArray())).toEqual([0, 0, 0, 0]);
    expect(Array.from(mm.toArray())).toEqual([0, 0, 0, 0]);
    expect(Array.from(mv.toArray())).toEqual([1, 1, 1, 1]);
    layer.setWeights([tensor(ref.gamma, [4], dtype), tensor(ref.beta, [4], dtype), mm, mv]);
    for (const step of ref.steps) {
      const x = tensor(step.x, [ref.rows, ref.features], dtype);
      const y = layer.forward(x, { training: true });
      expect(maxRelError(y.toArray(), step.y)).toBeLessThan(tol);
      const dx = layer.backward(tensor(step.dy, [ref.rows, ref.features], dtype))!;
      expect(maxRelError(dx.toArray(), step.dx)).toBeLessThan(tol);
      const [dGamma, dBeta] = layer.parameters().map((p) => p.grad.toArray());
      expect(maxRelError(dGamma, step.dgamma)).toBeLessThan(tol);
      expect(maxRelError(dBeta, step.dbeta)).toBeLessThan(tol);
      const [, , runningMean, runningVar] = layer.getWeights();
      expect(maxRelError(runningMean.toArray(), step.runningMean)).toBeLessThan(tol);
      expect(maxRelError(runningVar.toArray(), step.runningVar)).toBeLessThan(tol);
    }
    const xe = tensor(ref.eval.x, [5, ref.features], dtype);
    const ye = layer.forward(xe, { training: false });
    expect(maxRelError(ye.toArray(), ref.eval.y)).toBeLessThan(tol);
    const dxe = layer.backward(tensor(ref.eval.dy, [5, ref.features], dtype))!;
    expect(maxRelError(dxe.toArray(), ref.eval.dx)).toBeLessThan(tol);
  });
});

test('batchNorm refuses a training batch of one example and bad arguments', () => {
  const layer = batchNorm();
  expect(() => layer.forward(tensor([1, 2], [1, 2]), { training: true })).toThrow(/at least 2 examples per batch.*batch of 1/);
  expect(() => batchNorm({ momentum: 1.5 })).toThrow(/momentum must be a number in \[0, 1\], got 1.5/);
  expect(() => batchNorm({ epsilon: 0 })).toThrow(/epsilon must be a number in \(0/);
});

describe('batch norm as the first layer, where the model asks for no input gradient', () => {
  const rows = [[1, -2, 0.5], [3, 0, -1], [-1, 4, 2], [0.5, 1, 1.5], [2, -1, 0]];
  const dyRows = [[0.3, -0.1, 0.2], [-0.5, 0.4, 0.1], [0.2, 0.2, -0.3], [0.1, -0.6, 0.5], [0.7, 0.05, -0.2]];

  test('dγ = Σ dy·x̂ and dβ = Σ dy over the batch, x̂ computed by hand', () => {
    const model = sequential([batchNorm({ epsilon: 1e-5 })], { inputShape: [3], dtype: 'float64', seed: 1 });
    model.forward(tensor(rows.flat(), [5, 3], 'float64'), { training: true });
    model.backward(tensor(dyRows.flat(), [5, 3], 'float64'));
    const [dGamma, dBeta] = model.parameters().map((p) => Array.from(p.grad.toArray()));
    for (let j = 0; j < 3; j++) {
      const col = rows.map((r) => r[j]);
      const mu = col.reduce((s, v) => s + v, 0) / 5;
      const variance = col.reduce((s, v) => s + (v - mu) ** 2, 0) / 5; // biased, as in training
      const xhat = col.map((v) => (v - mu) / Math.sqrt(variance + 1e-5));
      expect(dGamma[j]).toBeCloseTo(dyRows.reduce((s, dy, i) => s + dy[j] * xhat[i], 0), 12);
      expect(dBeta[j]).toBeCloseTo(dyRows.reduce((s, dy) => s + dy[j], 0), 12);
    }
  });

  test('gradCheck of batchNorm → dense → dense passes, γ and β included', () => {
    const model = sequential([batchNorm(), dense(4, { activation: 'tanh' }), dense(2)], { inputShape: [3], dtype: 'float64', seed: 2 });
    const result = gradCheck(model, tensor(rows.flat(), [5, 3], 'float64'), [0, 1, 1, 0, 1], { loss: 'softmaxCrossEntropy' });
    expect(result.checked).toBe(result.total);
    expect(result.total).toBe(3 + 3 + 3 * 4 + 4 + 4 * 2 + 2);
    expect(result.relativeDifference).toBeLessThan(GRAD_CHECK_THRESHOLD);
  });
});
