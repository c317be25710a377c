import { init, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import fixture from '../test/fixtures/torch-reference.json';
import { batchNorm } from './batch-norm';
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
