// Every op that writes into an existing tensor refuses, while a gradient is being taken, to write
// into one the tape holds: the backward pass needs its old value.
import { beforeAll, expect, test } from 'vitest';
import {
  activationBackward, adamUpdate, axpy, axpySign, batchNormBackward, batchNormNormalize, batchNormStatistics, concat, denseForward, flushSubnormals,
  grad, init, momentumUpdate, mul, NnkitError, rmspropUpdate, scope, sgdUpdate, sigmoidCrossEntropyWithLogits, sum, tensor, type Tensor,
} from '../index';

beforeAll(() => init());

const fresh = () => tensor([1, 2, 3, 4], [2, 2], 'float64');
const vec = () => tensor([1, 2], [2], 'float64');

/** Each op, writing into `held` (a tensor the tape uses) in one of its output slots. */
const writers: Array<[string, (held: Tensor) => unknown]> = [
  ['sgdUpdate()', (h) => sgdUpdate(h, fresh(), { lr: 0.1 })],
  ['momentumUpdate()', (h) => momentumUpdate(h, fresh(), fresh(), { lr: 0.1, beta: 0.9, gradientScale: 1 })],
  ['momentumUpdate()', (h) => momentumUpdate(fresh(), fresh(), h, { lr: 0.1, beta: 0.9, gradientScale: 1 })],
  ['rmspropUpdate()', (h) => rmspropUpdate(h, fresh(), fresh(), null, { lr: 0.1, rho: 0.9, epsilon: 1e-8 })],
  ['rmspropUpdate()', (h) => rmspropUpdate(fresh(), fresh(), h, null, { lr: 0.1, rho: 0.9, epsilon: 1e-8 })],
  ['rmspropUpdate()', (h) => rmspropUpdate(fresh(), fresh(), fresh(), h, { lr: 0.1, rho: 0.9, epsilon: 1e-8 })],
  ['adamUpdate()', (h) => adamUpdate(h, fresh(), fresh(), fresh(), { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1 })],
  ['adamUpdate()', (h) => adamUpdate(fresh(), fresh(), h, fresh(), { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1 })],
  ['adamUpdate()', (h) => adamUpdate(fresh(), fresh(), fresh(), h, { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1 })],
  ['axpy()', (h) => axpy(0.5, fresh(), h)],
  ['axpySign()', (h) => axpySign(0.5, fresh(), h)],
  ['flushSubnormals()', (h) => flushSubnormals(h)],
  ['denseForward()', (h) => denseForward(fresh(), fresh(), null, { out: h })],
  ['activationBackward()', (h) => activationBackward(fresh(), fresh(), { activation: 'relu', biasGrad: h.rows(0, 1).reshape([2]) })],
  ['sigmoidCrossEntropyWithLogits()', (h) => sigmoidCrossEntropyWithLogits(fresh(), fresh(), { grad: h })],
  ['concat()', (h) => concat([vec().reshape([1, 2]), vec().reshape([1, 2])], 0, { out: h })],
  ['batchNormStatistics()', (h) => batchNormStatistics(fresh(), { mean: h.rows(0, 1).reshape([2]), variance: vec(), std: vec(), epsilon: 0 })],
  ['batchNormStatistics()', (h) => batchNormStatistics(fresh(), { mean: vec(), variance: vec(), std: h.rows(1, 2).reshape([2]), epsilon: 0 })],
  ['batchNormNormalize()', (h) => batchNormNormalize(fresh(), vec(), vec(), vec(), vec(), { xhat: h, out: fresh() })],
  ['batchNormNormalize()', (h) => batchNormNormalize(fresh(), vec(), vec(), vec(), vec(), { xhat: fresh(), out: h })],
  ['batchNormBackward()', (h) => batchNormBackward(fresh(), fresh(), { dBeta: h.rows(0, 1).reshape([2]), dGamma: vec() })],
  ['batchNormBackward()', (h) => batchNormBackward(fresh(), fresh(), { dBeta: vec(), dGamma: vec(), dx: h, scale: vec() })],
];

test.each(writers.map(([op, write], i) => [i, op, write] as const))('#%i %s refuses to write into a tensor the tape holds', (_, op, write) => {
  for (const heldOf of [(t: Tensor) => mul(t, 2), (t: Tensor) => t]) {
    let error: unknown;
    try {
      scope(() =>
        grad((t: Tensor) => {
          const y = heldOf(t); // a recorded result, or the argument itself
          write(y);
          return sum(y);
        })(fresh()),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NnkitError);
    expect((error as NnkitError).code).toBe('INVALID_ARGUMENT');
    expect((error as NnkitError).message).toMatch(new RegExp(`^${op.replace(/[()]/g, '\\$&')}: cannot write in place into tensor #\\d+ of shape \\[[0-9, ]+\\]`));
  }
});

test('the same writes into tensors the tape does not hold are allowed (also inside f)', () => {
  scope(() => {
    const g = grad((t: Tensor) => {
      for (const [, write] of writers) write(fresh());
      return sum(mul(t, 3));
    })(fresh());
    expect(Array.from(g.toArray())).toEqual([3, 3, 3, 3]);
  });
});
