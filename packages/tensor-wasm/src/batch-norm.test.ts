import { beforeAll, describe, expect, test } from 'vitest';
import { batchNormBackward, batchNormNormalize, batchNormStatistics, init, NnkitError, tensor, zeros, type DType } from './index';
import { bothBuilds, heapOf } from './test-support/builds';
import { randomValues } from './test-support/reference';

beforeAll(() => init());

const DTYPES: DType[] = ['float32', 'float64'];
// Widths through the vector body and every tail (4 lanes for f32, 2 for f64); batches from 2 rows.
const SHAPES: Array<[number, number]> = [[2, 1], [3, 3], [5, 5], [7, 8], [16, 37], [64, 19]];
const EPS = 1e-5;

/**
 * The textbook batch normalization (Ioffe & Szegedy 2015) in float64, straight from its formulas:
 * μ = Σx/m, σ² = Σ(x − μ)²/m, x̂ = (x − μ)/√(σ² + ε), y = γx̂ + β; and backward
 * dβ = Σdy, dγ = Σdy·x̂, dx = γ/(m√(σ² + ε))·(m·dy − dβ − x̂·dγ).
 */
function reference(x: number[], dy: number[], gamma: number[], beta: number[], m: number, n: number) {
  const mean = new Array(n).fill(0);
  const variance = new Array(n).fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) mean[j] += x[i * n + j] / m;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) variance[j] += (x[i * n + j] - mean[j]) ** 2 / m;
  const std = variance.map((v) => Math.sqrt(v + EPS));
  const xhat = x.map((v, k) => (v - mean[k % n]) / std[k % n]);
  const y = xhat.map((h, k) => gamma[k % n] * h + beta[k % n]);
  const dBeta = new Array(n).fill(0);
  const dGamma = new Array(n).fill(0);
  for (let k = 0; k < m * n; k++) {
    dBeta[k % n] += dy[k];
    dGamma[k % n] += dy[k] * xhat[k];
  }
  const dx = dy.map((d, k) => {
    const j = k % n;
    return (gamma[j] / (m * std[j])) * (m * d - dBeta[j] - xhat[k] * dGamma[j]);
  });
  return { mean, variance, std, xhat, y, dBeta, dGamma, dx };
}

function expectClose(actual: ArrayLike<number>, expected: number[], tolerance: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(err <= tolerance)) throw new Error(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`);
  }
}

describe.each(DTYPES)('batch normalization kernels in %s', (dtype) => {
  const tol = dtype === 'float32' ? 5e-5 : 1e-11;

  test.each(SHAPES)('statistics, normalize and backward of a %i×%i batch match the textbook formulas', (m, n) => {
    // Features with an offset and a scale of their own, so the centering matters.
    const x = randomValues(m * n, m * 31 + n).map((v, k) => Math.fround(3 * v + (k % n) - 2));
    const dy = randomValues(m * n, m + 7 * n);
    const gamma = randomValues(n, n + 1).map((v) => Math.fround(1 + v / 2));
    const beta = randomValues(n, n + 2);
    const ref = reference(x, dy, gamma, beta, m, n);
    const xt = tensor(x, [m, n], dtype);
    const [mean, variance, std, dBeta, dGamma] = [0, 1, 2, 3, 4].map(() => zeros([n], dtype));
    const [xhat, y, dx] = [0, 1, 2].map(() => zeros([m, n], dtype));
    batchNormStatistics(xt, { mean, variance, std, epsilon: EPS });
    expectClose(mean.toArray(), ref.mean, tol, 'mean');
    expectClose(variance.toArray(), ref.variance, tol, 'variance');
    expectClose(std.toArray(), ref.std, tol, 'std');
    expect(batchNormNormalize(xt, mean, std, tensor(gamma, [n], dtype), tensor(beta, [n], dtype), { xhat, out: y })).toBe(y);
    expectClose(xhat.toArray(), ref.xhat, tol, 'xhat');
    expectClose(y.toArray(), ref.y, tol, 'y');
    const scale = tensor(gamma.map((g, j) => g / (m * ref.std[j])), [n], dtype);
    batchNormBackward(tensor(dy, [m, n], dtype), xhat, { dBeta, dGamma, dx, scale });
    expectClose(dBeta.toArray(), ref.dBeta, tol * m, 'dBeta');
    expectClose(dGamma.toArray(), ref.dGamma, tol * m, 'dGamma');
    expectClose(dx.toArray(), ref.dx, tol * m, 'dx');
  });

  test('a constant feature normalizes to 0 (variance 0, std √ε) and its input gradient is finite', () => {
    const x = tensor([2, 5, 2, -1, 2, 2], [3, 2], dtype);
    const [mean, variance, std] = [0, 1, 2].map(() => zeros([2], dtype));
    batchNormStatistics(x, { mean, variance, std, epsilon: EPS });
    expect(mean.toArray()[0]).toBe(2);
    expect(variance.toArray()[0]).toBe(0);
    expect(std.toArray()[0]).toBeCloseTo(Math.sqrt(EPS), dtype === 'float32' ? 6 : 12);
    // Column 1: mean 2, variance (9 + 9 + 0)/3 = 6.
    expect(mean.toArray()[1]).toBeCloseTo(2, 5);
    expect(variance.toArray()[1]).toBeCloseTo(6, 5);
  });

  test('dx is optional: the backward sums alone leave dx untouched', () => {
    const dy = tensor([1, 2, 3, 4], [2, 2], dtype);
    const xhat = tensor([1, -1, -1, 1], [2, 2], dtype);
    const dBeta = zeros([2], dtype);
    const dGamma = zeros([2], dtype);
    batchNormBackward(dy, xhat, { dBeta, dGamma });
    expect(Array.from(dBeta.toArray())).toEqual([4, 6]);
    expect(Array.from(dGamma.toArray())).toEqual([1 - 3, -2 + 4]);
  });
});

describe('batch normalization kernel errors name the bad value', () => {
  test('shapes, dtypes, epsilon and a missing scale', () => {
    const x = zeros([4, 3]);
    const v3 = () => zeros([3]);
    expect(() => batchNormStatistics(zeros([3]), { mean: v3(), variance: v3(), std: v3(), epsilon: 1e-5 })).toThrow(/x must be 2-D \[examples ≥ 1, features\], got \[3\]/);
    expect(() => batchNormStatistics(x, { mean: zeros([4]), variance: v3(), std: v3(), epsilon: 1e-5 })).toThrow(/mean \[4\] holds 4 values; expected 3/);
    expect(() => batchNormStatistics(x, { mean: v3(), variance: v3(), std: v3(), epsilon: -1 })).toThrow(/epsilon -1 must be a finite number ≥ 0/);
    expect(() => batchNormNormalize(x, v3(), v3(), zeros([3], 'float64'), v3(), { xhat: zeros([4, 3]), out: zeros([4, 3]) })).toThrow(/gamma is float64, expected float32/);
    expect(() => batchNormNormalize(x, v3(), v3(), v3(), v3(), { xhat: zeros([4, 3]), out: zeros([3, 3]) })).toThrow(/out \[3, 3\] holds 9 values; expected 12/);
    expect(() => batchNormBackward(x, zeros([4, 3]), { dBeta: v3(), dGamma: v3(), dx: zeros([4, 3]) })).toThrow(NnkitError);
    expect(() => batchNormBackward(x, zeros([4, 3]), { dBeta: v3(), dGamma: v3(), dx: zeros([4, 3]) })).toThrow(/dx needs scale/);
  });
});

describe('the SIMD and the scalar builds write the same bits', () => {
  test.each(DTYPES)('%s: the four batch normalization passes', async (dtype) => {
    const [m, n] = [70, 37]; // 37 columns: blocks of four vectors, single vectors and a tail for both lane counts; 70 rows: three tiles of column sums
    const x = randomValues(m * n, 3).map((v, k) => 2 * v + (k % n));
    const dy = randomValues(m * n, 4);
    const runs = (await bothBuilds()).map((build) => {
      const k = build[dtype];
      const { base, bytes, view } = heapOf(build, dtype);
      // Matrices x, dy, x̂, y, dx and the vectors mean, variance, std, γ, β, dβ, dγ, scale, in a row.
      const mat = (k: number) => base + k * m * n * bytes;
      const vec = (k: number) => mat(5) + k * n * bytes;
      view.set(x, mat(0) / bytes);
      view.set(dy, mat(1) / bytes);
      view.set(randomValues(n, 5).map((v) => 1 + v / 2), vec(3) / bytes);
      view.set(randomValues(n, 6), vec(4) / bytes);
      view.set(randomValues(n, 7).map((v) => v / m), vec(7) / bytes);
      k.batch_norm_statistics(mat(0), m, n, n, 1e-5, vec(0), vec(1), vec(2));
      k.batch_norm_normalize(mat(0), m, n, vec(0), vec(2), vec(3), vec(4), mat(2), mat(3));
      k.batch_norm_backward_sums(mat(1), mat(2), m, n, n, vec(5), vec(6));
      k.batch_norm_backward_input(mat(1), mat(2), m, n, m, vec(5), vec(6), vec(7), mat(4));
      return Array.from(new Uint8Array(build.memory.buffer, base, (5 * m * n + 8 * n) * bytes));
    });
    expect(runs[0]).toEqual(runs[1]);
  });
});
