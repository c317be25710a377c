// The scalar build (for engines without SIMD) runs the same kernels lane by lane. Vitest isolates
// test files, so this file gets its own kernel instance.
import { beforeAll, expect, test } from 'vitest';
import { backendInfo, init, matmul, softmaxCrossEntropyWithLogits, sum, tanh, tensor, zeros, type DType } from './index';
import { maxRelativeError, randomValues, referenceMatmul, TOLERANCE } from './test-support/reference';

beforeAll(() => init({ simd: false }));

test('init({ simd: false }) runs the scalar kernel', () => {
  expect(backendInfo().simd).toBe(false);
});

test.each(['float32', 'float64'] as DType[])('%s: gemm in every transpose and the other ops match the reference', (dtype) => {
  for (const [m, n, k] of [[1, 1, 1], [7, 9, 13], [65, 33, 300]]) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const av = randomValues(m * k, m + k);
      const bv = randomValues(k * n, n + k);
      const c = matmul(tensor(av, ta ? [k, m] : [m, k], dtype), tensor(bv, tb ? [n, k] : [k, n], dtype), { transposeA: ta, transposeB: tb });
      const ref = referenceMatmul(av, bv, m, n, k, ta, tb);
      expect(maxRelativeError(c.toArray(), ref.values, ref.magnitude)).toBeLessThanOrEqual(dtype === 'float32' ? TOLERANCE.float32 * Math.sqrt(k) : TOLERANCE.float64);
    }
  }
  const v = randomValues(37, 3);
  const t = Array.from(tanh(tensor(v, [37], dtype)).toArray());
  expect(maxRelativeError(t, v.map(Math.tanh), v.map((x) => Math.max(Math.abs(Math.tanh(x)), 1e-6)))).toBeLessThanOrEqual(dtype === 'float32' ? 4e-7 : 1e-15);
  expect(sum(tensor(v, [37], dtype)).item()).toBeCloseTo(v.reduce((a, b) => a + b, 0), dtype === 'float32' ? 5 : 13);
  const grad = zeros([1, 3], dtype);
  expect(softmaxCrossEntropyWithLogits(tensor([1000, 0, -1000], [1, 3], dtype), [2], { grad })).toBe(2000);
});
