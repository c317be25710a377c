import { beforeAll, describe, expect, test } from 'vitest';
import type { DType } from './dtype';
import { NnkitError } from './errors';
import type { DTypeKernels } from './generated/kernel-bindings';
import { adamUpdate, countNonFinite, momentumUpdate, rmspropUpdate, sgdUpdate } from './optim';
import { createRng, init, tensor, zeros, type Tensor } from './index';
import { bothBuilds, heapOf } from './test-support/builds';
import { SMALLEST_SUBNORMAL } from './test-support/reference';

// The reference below is the textbook formula in float64. float64 kernels agree with it to rounding
// (a few ulps over a few steps); float32 kernels to float32 rounding of O(1) values.
const TOLERANCE: Record<DType, number> = { float64: 1e-13, float32: 2e-6 };
// Lengths that exercise the vector body and every tail length of 4 (f32) and 2 (f64) lanes.
const LENGTHS = [1, 2, 3, 5, 8, 37];
const STEPS = 3;

beforeAll(async () => {
  await init();
});

function randomValues(n: number, seed: number, scale = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Math.fround(rng.normal() * scale));
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, dtype: DType): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = TOLERANCE[dtype] * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`entry ${i}: got ${actual[i]}, expected ${expected[i]} (tolerance ${tol})`);
    }
  }
}

/** Runs `steps` updates of a kernel and of its float64 reference on the same gradients. */
function trajectory(
  dtype: DType,
  n: number,
  slots: number,
  kernel: (w: Tensor, g: Tensor, s: Tensor[], t: number) => void,
  reference: (w: number[], g: number[], s: number[][], t: number) => void,
): void {
  const w0 = randomValues(n, 1);
  const w = tensor(w0, [n], dtype);
  const s = Array.from({ length: slots }, () => zeros([n], dtype));
  const rw = [...w0];
  const rs = Array.from({ length: slots }, () => new Array<number>(n).fill(0));
  for (let t = 1; t <= STEPS; t++) {
    const gv = randomValues(n, 100 + t);
    gv[0] = 1e-6; // a tiny gradient, where the placement of ε decides the step
    const g = tensor(gv, [n], dtype);
    kernel(w, g, s, t);
    reference(rw, gv, rs, t);
    g.dispose();
  }
  expectClose(w.toArray(), rw, dtype);
  s.forEach((slot, k) => {
    expectClose(slot.toArray(), rs[k], dtype);
  });
  w.dispose();
  for (const slot of s) slot.dispose();
}

const DTYPES: DType[] = ['float32', 'float64'];

describe.each(DTYPES)('fused updates in %s against a float64 reference', (dtype) => {
  test.each(LENGTHS)('sgd, n = %i', (n) => {
    trajectory(dtype, n, 0, (w, g) => sgdUpdate(w, g, { lr: 0.1 }), (w, g) => {
      for (let i = 0; i < n; i++) w[i] -= 0.1 * g[i];
    });
  });

  test.each([
    ['ewma', false],
    ['ewma', true],
    ['heavy ball', false],
    ['heavy ball', true],
  ] as const)('momentum %s, nesterov %s', (form, nesterov) => {
    const n = 37;
    const beta = 0.9;
    const a = form === 'ewma' ? 1 - beta : 1;
    trajectory(dtype, n, 1, (w, g, [v]) => momentumUpdate(w, g, v, { lr: 0.05, beta, gradientScale: a, nesterov }), (w, g, [v]) => {
      for (let i = 0; i < n; i++) {
        v[i] = beta * v[i] + a * g[i];
        w[i] -= 0.05 * (nesterov ? a * g[i] + beta * v[i] : v[i]);
      }
    });
  });

  test.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])('rmsprop, centered %s, epsilon inside the root %s', (centered, inside) => {
    const n = 37;
    const [lr, rho, eps] = [0.01, 0.9, 1e-8];
    trajectory(
      dtype, n, centered ? 2 : 1,
      (w, g, [s, mg]) => rmspropUpdate(w, g, s, centered ? mg : null, { lr, rho, epsilon: eps, epsilonInsideSqrt: inside }),
      (w, g, [s, mg]) => {
        for (let i = 0; i < n; i++) {
          s[i] = rho * s[i] + (1 - rho) * g[i] ** 2;
          let r = s[i];
          if (centered) {
            mg[i] = rho * mg[i] + (1 - rho) * g[i];
            r -= mg[i] ** 2;
          }
          w[i] -= (lr * g[i]) / (inside ? Math.sqrt(r + eps) : Math.sqrt(r) + eps);
        }
      },
    );
  });

  test.each([
    ['plain', 0, 0],
    ['coupled weight decay', 0.1, 0],
    ['decoupled weight decay', 0, 0.1],
  ])('adam, %s, every tail length', (_, l2, decoupled) => {
    for (const n of LENGTHS) {
      const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-8];
      trajectory(
        dtype, n, 2,
        (w, g, [m, v], t) => adamUpdate(w, g, m, v, { lr, beta1: b1, beta2: b2, epsilon: eps, step: t, weightDecay: l2, decoupledWeightDecay: decoupled }),
        (w, g, [m, v], t) => {
          for (let i = 0; i < n; i++) {
            const gi = g[i] + l2 * w[i];
            w[i] *= 1 - lr * decoupled;
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            const mHat = m[i] / (1 - b1 ** t);
            const vHat = v[i] / (1 - b2 ** t);
            w[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
          }
        },
      );
    }
  });

  test('countNonFinite counts NaN, +Inf and −Inf, not large finite values', () => {
    const big = dtype === 'float32' ? 3.4e38 : Number.MAX_VALUE;
    const values = [0, Number.NaN, 1, Number.POSITIVE_INFINITY, -big, 5, 6, Number.NEGATIVE_INFINITY, 1e-40, Number.NaN, 2];
    const x = tensor(values, [values.length], dtype);
    expect(countNonFinite(x)).toBe(4);
    expect(countNonFinite(x.rows(0, 1))).toBe(0);
    expect(countNonFinite(x.rows(9, 11))).toBe(1);
    x.dispose();
  });
});

describe('argument checks', () => {
  test('shape, dtype and disposed tensors are named', () => {
    const w = zeros([2, 3]);
    const g = zeros([3, 2]);
    const g64 = zeros([2, 3], 'float64');
    const m = zeros([2, 3]);
    const v = zeros([2, 3]);
    expect(() => sgdUpdate(w, g, { lr: 0.1 })).toThrow(/g has shape \[3, 2\] but w has shape \[2, 3\]/);
    expect(() => sgdUpdate(w, g64, { lr: 0.1 })).toThrow(/g is float64 but w is float32/);
    m.dispose();
    expect(() => adamUpdate(w, zeros([2, 3]), m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1 })).toThrow(
      expect.objectContaining({ code: 'DISPOSED' }),
    );
  });

  test('scalars outside their range are rejected before the kernel runs', () => {
    const w = tensor([1, 2], [2]);
    const g = tensor([1, 1], [2]);
    const v = zeros([2]);
    const m = zeros([2]);
    const base = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1 };
    expect(() => sgdUpdate(w, g, { lr: -1 })).toThrow(/lr -1 must be a finite number ≥ 0/);
    expect(() => momentumUpdate(w, g, v, { lr: 0.1, beta: 1, gradientScale: 1 })).toThrow(/beta 1 must be a number in \[0, 1\)/);
    expect(() => adamUpdate(w, g, m, v, { ...base, step: 0 })).toThrow(/step 0 must be an integer ≥ 1/);
    expect(() => adamUpdate(w, g, m, v, { ...base, epsilon: 0 })).toThrow(NnkitError);
    expect(() => rmspropUpdate(w, g, v, null, { lr: Number.NaN, rho: 0.9, epsilon: 1e-8 })).toThrow(/lr NaN/);
    expect(Array.from(w.toArray())).toEqual([1, 2]);
    expect(Array.from(v.toArray())).toEqual([0, 0]);
  });
});

describe('the SIMD and the scalar builds write the same bits', () => {
  test.each(DTYPES)('%s: every kernel and variant', async (dtype) => {
    const builds = await bothBuilds();
    const n = 39;
    const calls: Array<[string, (k: DTypeKernels, p: number[]) => number | void]> = [
      ['sgd', (k, [w, g]) => k.sgd(w, g, n, 0.1)],
      ['momentum', (k, [w, g, a]) => k.momentum(w, g, a, n, 0.1, 0.9, 0.1, 1)],
      ['rmsprop', (k, [w, g, a, b]) => k.rmsprop(w, g, a, b, n, 0.01, 0.9, 0.1, 1e-8, 1, 1)],
      ['rmsprop', (k, [w, g, a, b]) => k.rmsprop(w, g, a, b, n, 0.01, 0.9, 0.1, 1e-8, 0, 0)],
      ['adam', (k, [w, g, a, b]) => k.adam(w, g, a, b, n, 0.9, 0.1, 0.999, 0.001, 0.1, 3.3, 1e-8, 0.01, 0.999)],
      ['count_nonfinite', (k, [, g]) => k.count_nonfinite(g, n)],
      ['sum_power', (k, [, g]) => k.sum_power(g, n, 2)],
      ['sum_power', (k, [, g]) => k.sum_power(g, n, 1)],
      ['flush_subnormals', (k, [, , a]) => k.flush_subnormals(a, n)],
    ];
    for (const [name, call] of calls) {
      const runs = builds.map((build) => {
        const k = build[dtype];
        const { base, bytes, view } = heapOf(build, dtype);
        const pointers = [0, 1, 2, 3].map((k) => base + k * n * bytes);
        // Optimizer state starts at zero; NaN only where it is counted (NaN bits are not deterministic in WebAssembly).
        pointers.forEach((p, k) => {
          view.set(randomValues(n, 7 + k, k >= 2 ? 0 : 1), p / bytes);
        });
        if (name === 'count_nonfinite') view[pointers[1] / bytes + 5] = Number.NaN;
        // Subnormal state in the vector body and in the tail, which both builds must treat alike.
        for (const k of [2, 3]) for (const i of [3, n - 1]) view[pointers[k] / bytes + i] = SMALLEST_SUBNORMAL[dtype];
        for (let step = 0; step < 3; step++) call(k, pointers);
        return { result: call(k, pointers), memory: new Uint8Array(build.memory.buffer, base, 4 * n * bytes).slice() };
      });
      expect(runs[0].result).toEqual(runs[1].result);
      expect(Array.from(runs[0].memory)).toEqual(Array.from(runs[1].memory)); // byte for byte
    }
  });
});
