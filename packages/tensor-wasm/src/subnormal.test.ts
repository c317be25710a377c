import { beforeAll, describe, expect, test } from 'vitest';
import { adamUpdate, flushSubnormals, init, momentumUpdate, tensor, zeros, type DType } from './index';
import { SMALLEST_NORMAL, SMALLEST_SUBNORMAL } from './test-support/reference';

beforeAll(() => init());

describe.each(['float32', 'float64'] as DType[])('flushSubnormals in %s', (dtype) => {
  const N = SMALLEST_NORMAL[dtype];
  const D = SMALLEST_SUBNORMAL[dtype];

  test('clears exactly the subnormal values and −0, in the vector body and every tail', () => {
    // Each value with what must come out: the boundary N stays, anything below it goes.
    const cases: Array<[number, number]> = [
      [N, N], [-N, -N], [N / 2, 0], [-N / 2, 0], [D, 0], [-D, 0], [N - D, 0], [-0, 0], [0, 0],
      [1, 1], [-3.5, -3.5], [2 ** -100, 2 ** -100], [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
      [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY], [Number.NaN, Number.NaN],
    ];
    for (let n = 1; n <= cases.length; n++) {
      const x = tensor(cases.slice(0, n).map(([v]) => v), [n], dtype);
      expect(flushSubnormals(x)).toBe(x);
      // toEqual tells −0 from +0 and matches NaN with NaN.
      expect(Array.from(x.toArray()), `n = ${n}`).toEqual(cases.slice(0, n).map(([, out]) => out));
      x.dispose();
    }
  });

  test('a decaying average stuck on the smallest subnormal is freed: β·d rounds back to d', () => {
    // Momentum with a zero gradient multiplies the velocity by β = 0.9 each step. In IEEE arithmetic
    // 0.9·d for the smallest subnormal d is 0.9 of an ulp, which rounds back to d: it never decays.
    const w = zeros([5], dtype);
    const v = tensor([D, D, -D, D, 2 ** 20 * N], [5], dtype);
    for (let step = 0; step < 10; step++) momentumUpdate(w, zeros([5], dtype), v, { lr: 1, beta: 0.9, gradientScale: 1 });
    expect(Array.from(v.toArray()).slice(0, 4)).toEqual([D, D, -D, D]);
    flushSubnormals(v);
    expect(Array.from(v.toArray()).slice(0, 4)).toEqual([0, 0, 0, 0]);
    // The normal entry decayed to about 0.9¹⁰·2²⁰·N ≈ 3.7e5·N and stays.
    expect(v.toArray()[4]).toBeGreaterThan(0.3 * 2 ** 20 * N);
  });

  test('Adam keeps moving a weight with a stuck first moment until the state is flushed', () => {
    // m = d stays d under β1 = 0.9 with a zero gradient, and w keeps moving by lr·m̂/(√v̂ + ε) at every
    // step; after the flush m = 0 and w stops.
    const w = zeros([1], dtype);
    const m = tensor([D], [1], dtype);
    const v = zeros([1], dtype);
    const opts = { lr: 1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    adamUpdate(w, zeros([1], dtype), m, v, { ...opts, step: 1 });
    const moved = w.toArray()[0];
    expect(moved).toBeLessThan(0);
    flushSubnormals(m);
    adamUpdate(w, zeros([1], dtype), m, v, { ...opts, step: 2 });
    expect(w.toArray()[0]).toBe(moved);
  });
});
