// Batch normalization's passes on 1, 2 and 3 threads (3 share this machine's two cores): the same
// bits for every thread count, and the bits of the kernel's documented order — each column summed
// from row 0 down in the tensor's dtype — written out here by hand, plus a float64 formula within a
// tight tolerance. A part that summed in another order, or over part of the rows, changes bits.
import { afterAll, describe, expect, test, vi } from 'vitest';
import { kernelIndexes, parallelPool } from './backend';
import { batchNormBackward, batchNormNormalize, batchNormStatistics, type DType, init, type Tensor, tensor, vjp, zeros } from './index';
import { randomValues } from './test-support/reference';

afterAll(() => init({ threads: 1 }));

const bits = (t: Tensor) => Buffer.from(t.toArray().buffer).toString('base64');
const EPSILON = 1e-5;

/** Inputs of every pass, the same values (rounded to float32) for both dtypes. */
function inputs(m: number, n: number) {
  return {
    // Columns of different offsets and spreads, so that the mean and the variance both matter.
    x: randomValues(m * n, 1).map((v, k) => 3 * v * (1 + (k % 7)) + (k % n) / 10),
    dy: randomValues(m * n, 2),
    gamma: randomValues(n, 3).map((v) => 1 + v / 2),
    beta: randomValues(n, 4),
  };
}

type Values = ReturnType<typeof inputs>;

/**
 * Every output of the four passes in the order the kernels document, each operation rounded to the
 * dtype (Math.fround rounds a float64 result of +, −, ×, ÷ or √ of float32 values exactly as float32
 * arithmetic does).
 */
function inKernelOrder(v: Values, m: number, n: number, dtype: DType) {
  const r = dtype === 'float32' ? Math.fround : (a: number) => a;
  const columnSum = (term: (i: number, j: number) => number) =>
    Array.from({ length: n }, (_, j) => {
      let s = term(0, j);
      for (let i = 1; i < m; i++) s = r(s + term(i, j));
      return s;
    });
  const x = v.x.map(r);
  const dy = v.dy.map(r);
  const gamma = v.gamma.map(r);
  const beta = v.beta.map(r);
  const invM = r(1 / m);
  const mean = columnSum((i, j) => x[i * n + j]).map((s) => r(s * invM));
  const variance = columnSum((i, j) => {
    const c = r(x[i * n + j] - mean[j]);
    return r(c * c);
  }).map((s) => r(s * invM));
  const std = variance.map((s) => r(Math.sqrt(r(s + r(EPSILON)))));
  const xhat = x.map((value, k) => r(r(value - mean[k % n]) / std[k % n]));
  const y = xhat.map((h, k) => r(r(h * gamma[k % n]) + beta[k % n]));
  const dBeta = columnSum((i, j) => dy[i * n + j]);
  const dGamma = columnSum((i, j) => r(dy[i * n + j] * xhat[i * n + j]));
  const scale = gamma.map((g, j) => r(r(g / std[j]) / m));
  const dx = dy.map((d, k) => {
    const j = k % n;
    return r(r(r(r(d * m) - dBeta[j]) - r(xhat[k] * dGamma[j])) * scale[j]);
  });
  return { mean, variance, std, xhat, y, dBeta, dGamma, scale, dx };
}

/** The same outputs from the formulas in float64, with no rounding to the dtype. */
function inFloat64(v: Values, m: number, n: number) {
  const mean = new Float64Array(n);
  const variance = new Float64Array(n);
  const dBeta = new Float64Array(n);
  const dGamma = new Float64Array(n);
  for (let k = 0; k < m * n; k++) mean[k % n] += v.x[k] / m;
  for (let k = 0; k < m * n; k++) variance[k % n] += (v.x[k] - mean[k % n]) ** 2 / m;
  const std = variance.map((s) => Math.sqrt(s + EPSILON));
  const xhat = v.x.map((value, k) => (value - mean[k % n]) / std[k % n]);
  for (let k = 0; k < m * n; k++) {
    dBeta[k % n] += v.dy[k];
    dGamma[k % n] += v.dy[k] * xhat[k];
  }
  const dx = v.dy.map((d, k) => ((m * d - dBeta[k % n] - xhat[k] * dGamma[k % n]) * v.gamma[k % n]) / (m * std[k % n]));
  return { mean: Array.from(mean), variance: Array.from(variance), std: Array.from(std), xhat, dBeta: Array.from(dBeta), dGamma: Array.from(dGamma), dx };
}

/** Runs the three public ops on x and dy [m, n] and returns their outputs. */
function run(v: Values, m: number, n: number, dtype: DType, scaleValues: number[]) {
  const x = tensor(v.x, [m, n], dtype);
  const dy = tensor(v.dy, [m, n], dtype);
  const gamma = tensor(v.gamma, [n], dtype);
  const beta = tensor(v.beta, [n], dtype);
  const scale = tensor(scaleValues, [n], dtype);
  const out = {
    mean: zeros([n], dtype), variance: zeros([n], dtype), std: zeros([n], dtype), xhat: zeros([m, n], dtype), y: zeros([m, n], dtype),
    dBeta: zeros([n], dtype), dGamma: zeros([n], dtype), dx: zeros([m, n], dtype),
  };
  batchNormStatistics(x, { mean: out.mean, variance: out.variance, std: out.std, epsilon: EPSILON });
  batchNormNormalize(x, out.mean, out.std, gamma, beta, { xhat: out.xhat, out: out.y });
  batchNormBackward(dy, out.xhat, { dBeta: out.dBeta, dGamma: out.dGamma, dx: out.dx, scale });
  for (const t of [x, dy, gamma, beta, scale]) t.dispose();
  return out;
}

/** Index of the first element whose bits differ from want's, or -1. */
const firstDifference = (got: ArrayLike<number>, want: ArrayLike<number>) => Array.from(want).findIndex((w, k) => !Object.is(got[k], w));

/** Largest |got − want| / (1 + |want|). */
function worst(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let e = 0;
  for (let k = 0; k < want.length; k++) e = Math.max(e, Math.abs(got[k] - want[k]) / (1 + Math.abs(want[k])));
  return e;
}

/** Relative to 1 + |value|: float32 sums of 512–777 terms of either sign (about m·2⁻²⁴·Σ|term| at worst). */
const TOLERANCE = { float32: 1e-3, float64: 1e-10 } as const;

/** Inputs of [m, n], the outputs' bits in the kernels' order and their float64 values. */
function references(m: number, n: number, dtype: DType) {
  const v = inputs(m, n);
  return { v, want: inKernelOrder(v, m, n, dtype), exact: inFloat64(v, m, n) };
}

describe.each(['float32', 'float64'] as const)('%s', (dtype) => {
  test.each([
    [512, 1000],
    [777, 203], // odd: ragged last parts of columns and of rows, and a scalar tail of columns
  ])('batch norm statistics, normalize and backward of [%i, %i] are the same bits on 1, 2 and 3 threads, in the kernel order', async (m, n) => {
    const { v, want, exact } = references(m, n, dtype);
    const seen = new Set<string>();
    for (const threads of [1, 2, 3]) {
      await init({ threads });
      const out = run(v, m, n, dtype, want.scale);
      const names = ['mean', 'variance', 'std', 'xhat', 'y', 'dBeta', 'dGamma', 'dx'] as const;
      seen.add(names.map((name) => bits(out[name])).join('|'));
      for (const name of names) {
        const got = out[name].toArray();
        const at = firstDifference(got, want[name]); // bits, not a tolerance
        expect(at, `${threads} threads: ${name}[${at}] is ${got[at]}, expected ${want[name][at]}`).toBe(-1);
      }
      for (const name of ['mean', 'variance', 'std', 'xhat', 'dBeta', 'dGamma', 'dx'] as const) {
        expect(worst(out[name].toArray(), exact[name]), name).toBeLessThan(TOLERANCE[dtype]);
      }
      for (const t of Object.values(out)) t.dispose();
    }
    expect(seen.size).toBe(1);
  }, 60_000);

  test('the recorded gradient of a training-mode normalization is the same bits on 1, 2 and 3 threads', async () => {
    const [m, n] = [777, 203];
    const { v, want, exact } = references(m, n, dtype);
    const seen = new Set<string>();
    for (const threads of [1, 2, 3]) {
      await init({ threads });
      const x = tensor(v.x, [m, n], dtype);
      const dy = tensor(v.dy, [m, n], dtype);
      const params = { x, gamma: tensor(v.gamma, [n], dtype), beta: tensor(v.beta, [n], dtype) };
      const { backward, dispose } = vjp((p: typeof params) => {
        const [mean, variance, std] = [zeros([n], dtype), zeros([n], dtype), zeros([n], dtype)];
        batchNormStatistics(p.x, { mean, variance, std, epsilon: EPSILON });
        return batchNormNormalize(p.x, mean, std, p.gamma, p.beta, { xhat: zeros([m, n], dtype), out: zeros([m, n], dtype) });
      }, params);
      const g = backward(dy);
      seen.add([g.x, g.gamma, g.beta].map(bits).join('|'));
      expect(firstDifference(g.beta.toArray(), want.dBeta), 'dβ').toBe(-1);
      expect(firstDifference(g.gamma.toArray(), want.dGamma), 'dγ').toBe(-1);
      expect(worst(g.x.toArray(), exact.dx)).toBeLessThan(TOLERANCE[dtype]);
      dispose();
      for (const t of [x, dy, params.gamma, params.beta, g.x, g.gamma, g.beta]) t.dispose();
    }
    expect(seen.size).toBe(1);
  }, 60_000);

  test('above the size threshold every pass runs over the pool; a small batch stays on the calling thread', async () => {
    await init({ threads: 2 });
    const pool = parallelPool();
    expect(pool).not.toBeNull();
    if (pool === null) return;
    const start = vi.spyOn(pool, 'start');
    try {
      const small = inputs(8, 16);
      for (const t of Object.values(run(small, 8, 16, dtype, small.gamma))) t.dispose();
      expect(start).not.toHaveBeenCalled();
      const large = inputs(512, 1000);
      for (const t of Object.values(run(large, 512, 1000, dtype, large.gamma))) t.dispose();
      const ran = new Set(start.mock.calls.map(([fn]) => fn));
      for (const kernel of ['statistics', 'normalize', 'backward_sums', 'backward_input'] as const) {
        expect(ran.has(kernelIndexes(`batch_norm_${kernel}`)[dtype]), kernel).toBe(true);
      }
    } finally {
      start.mockRestore();
    }
  });
});
