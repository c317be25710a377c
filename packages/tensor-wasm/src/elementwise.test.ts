import { beforeAll, describe, expect, test } from 'vitest';
import {
  abs, add, affine, div, exp, init, leakyRelu, leakyReluGrad, log, maximum, minimum, mul, neg, NnkitError, relu, reluGrad,
  sigmoid, sigmoidGrad, sign, sqrt, square, sub, tanh, tanhGrad, tensor, zeros, type DType,
} from './index';
import { maxRelativeError, randomValues, TOLERANCE } from './test-support/reference';

beforeAll(() => init());

const DTYPES: DType[] = ['float32', 'float64'];

/** Reference broadcast: out[idx] = f(a[bcast idx], b[bcast idx]). */
function referenceBinary(
  f: (x: number, y: number) => number, a: number[], as: number[], b: number[], bs: number[], out: number[],
): number[] {
  const rank = out.length;
  const size = out.reduce((p, d) => p * d, 1);
  const result: number[] = [];
  const index = new Array(rank).fill(0);
  const offset = (shape: number[]) => {
    let o = 0;
    for (let d = 0; d < shape.length; d++) {
      const i = index[rank - shape.length + d];
      o = o * shape[d] + (shape[d] === 1 ? 0 : i);
    }
    return o;
  };
  for (let i = 0; i < size; i++) {
    result.push(f(a[offset(as)], b[offset(bs)]));
    for (let d = rank - 1; d >= 0 && ++index[d] === out[d]; d--) index[d] = 0;
  }
  return result;
}

const BINARY = [
  ['add', add, (x: number, y: number) => x + y],
  ['sub', sub, (x: number, y: number) => x - y],
  ['mul', mul, (x: number, y: number) => x * y],
  ['div', div, (x: number, y: number) => x / y],
  ['maximum', maximum, Math.max],
  ['minimum', minimum, Math.min],
] as const;

// [a shape, b shape, broadcast shape]: same shape, bias row, column, scalar, rank 3, and both sides.
const BROADCASTS: Array<[number[], number[], number[]]> = [
  [[5, 7], [5, 7], [5, 7]], [[1], [1], [1]], [[33, 13], [13], [33, 13]], [[9, 6], [9, 1], [9, 6]],
  [[3, 300], [], [3, 300]], [[], [4, 5], [4, 5]], [[2, 3, 5], [3, 1], [2, 3, 5]], [[4, 1, 6], [1, 3, 6], [4, 3, 6]],
  [[7, 1], [1, 9], [7, 9]], [[11], [11], [11]],
];

describe.each(DTYPES)('%s', (dtype) => {
  test.each(BINARY)('%s broadcasts like NumPy', (_, op, f) => {
    for (const [as, bs, os] of BROADCASTS) {
      const av = randomValues(as.reduce((p, d) => p * d, 1), as.length + 3);
      // Keep divisors away from zero so the relative error stays meaningful.
      const bv = randomValues(bs.reduce((p, d) => p * d, 1), bs.length + 11).map((v) => (Math.abs(v) < 0.1 ? 0.5 : v));
      const out = op(tensor(av, as, dtype), tensor(bv, bs, dtype));
      expect(out.shape).toEqual(os);
      const want = referenceBinary(f, av, as, bv, bs, os);
      expect(maxRelativeError(out.toArray(), want), `${as} ∘ ${bs}`).toBeLessThanOrEqual(TOLERANCE[dtype]);
    }
  });

  test('numbers act as scalars on either side', () => {
    const x = tensor([1, 2, 3], [3], dtype);
    expect(Array.from(add(x, 1).toArray())).toEqual([2, 3, 4]);
    expect(Array.from(sub(10, x).toArray())).toEqual([9, 8, 7]);
    expect(Array.from(div(x, 2).toArray())).toEqual([0.5, 1, 1.5]);
  });

  const UNARY: Array<[string, (x: ReturnType<typeof tensor>) => ReturnType<typeof tensor>, (v: number) => number, number[]]> = [
    ['neg', neg, (v) => -v, []], ['abs', abs, Math.abs, []], ['exp', exp, Math.exp, []],
    ['log', log, Math.log, [1e-3, 0.5, 2, 10, 123.25]], ['sqrt', sqrt, Math.sqrt, [0, 0.25, 2, 9, 1e4]],
    ['square', square, (v) => v * v, []], ['sign', sign, Math.sign, [0]], ['relu', relu, (v) => Math.max(v, 0), []],
    ['sigmoid', sigmoid, (v) => 1 / (1 + Math.exp(-v)), [-30, 30, 0]], ['tanh', tanh, Math.tanh, [-20, 20, 0]],
    ['leakyRelu', (x) => leakyRelu(x, 0.2), (v) => (v > 0 ? v : 0.2 * v), []],
    ['affine', (x) => affine(x, 3, -0.5), (v) => 3 * v - 0.5, []],
  ];
  test.each(UNARY)('%s matches Math on SIMD lanes and the scalar tail', (_, op, f, extra) => {
    const values = [...randomValues(37, 5).map((v) => v * 4), ...extra];
    const positive = _ === 'log' || _ === 'sqrt';
    const input = positive ? values.map((v) => Math.fround(Math.abs(v) + 1e-3)) : values;
    const out = op(tensor(input, [input.length], dtype));
    const want = input.map(f);
    // exp/log/tanh/sigmoid in float32 are correctly rounded to within a few ulps.
    const tol = dtype === 'float32' ? 4e-7 : 1e-15;
    expect(maxRelativeError(out.toArray(), want, want.map((w) => Math.max(Math.abs(w), 1e-6)))).toBeLessThanOrEqual(tol);
  });

  test('activation derivatives from the output y', () => {
    const z = randomValues(23, 9).map((v) => v * 3);
    const dy = randomValues(23, 10);
    // Relative to |dy|: every derivative here is at most 1 in magnitude.
    const check = (got: ArrayLike<number>, want: number[]) =>
      expect(maxRelativeError(got, want, dy.map((d) => Math.max(Math.abs(d), 1e-6)))).toBeLessThanOrEqual(dtype === 'float32' ? 4e-7 : 1e-15);
    const dyt = tensor(dy, [23], dtype);
    // The derivative is a function of the stored output, so the reference starts from those bits
    // (1 − y² near |y| = 1 cancels, and would otherwise only measure tanh's own rounding).
    const sigT = sigmoid(tensor(z, [23], dtype));
    const thT = tanh(tensor(z, [23], dtype));
    const sig = Array.from(sigT.toArray());
    const th = Array.from(thT.toArray());
    check(sigmoidGrad(dyt, sigT).toArray(), dy.map((d, i) => d * sig[i] * (1 - sig[i])));
    check(tanhGrad(dyt, thT).toArray(), dy.map((d, i) => d * (1 - th[i] ** 2)));
    check(reluGrad(dyt, relu(tensor(z, [23], dtype))).toArray(), dy.map((d, i) => (z[i] > 0 ? d : 0)));
    check(leakyReluGrad(dyt, leakyRelu(tensor(z, [23], dtype), 0.1), 0.1).toArray(), dy.map((d, i) => (z[i] > 0 ? d : 0.1 * d)));
  });

  test('sigmoid stays finite and exact at ±1000', () => {
    const out = Array.from(sigmoid(tensor([-1000, 1000, -80, 80], [4], dtype)).toArray());
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(1);
    expect(out[2]).toBeGreaterThan(0);
    expect(out[3]).toBe(1);
  });

  test('writing into out, also in place', () => {
    const x = tensor([-1, 2, -3, 4], [4], dtype);
    expect(relu(x, { out: x })).toBe(x);
    expect(Array.from(x.toArray())).toEqual([0, 2, 0, 4]);
    const y = tensor([1, 1, 1, 1], [4], dtype);
    add(x, y, { out: y });
    expect(Array.from(y.toArray())).toEqual([1, 3, 1, 5]);
  });
});

describe('elementwise errors', () => {
  test('shapes that do not broadcast name both shapes', () => {
    expect(() => add(zeros([2, 3]), zeros([3, 2]))).toThrow(/shapes \[2, 3\] and \[3, 2\] do not broadcast/);
  });
  test('dtypes do not mix; numbers alone are refused', () => {
    expect(() => mul(zeros([2]), zeros([2], 'float64'))).toThrow(expect.objectContaining({ code: 'DTYPE_MISMATCH' }));
    expect(() => add(1 as never, 2 as never)).toThrow(NnkitError);
  });
  test('negative leaky slope and mismatched gradient shapes are refused', () => {
    expect(() => leakyRelu(zeros([2]), -1)).toThrow(/alpha -1/);
    expect(() => reluGrad(zeros([2]), zeros([3]))).toThrow(/dy \[2\] and y \[3\]/);
  });
});
