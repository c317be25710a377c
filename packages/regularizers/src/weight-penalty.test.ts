// The penalties against the course's formulas computed in plain float64 JavaScript, and the
// gradients against two-sided finite differences of the penalties.
import { init, memory, NnkitError, randn, tensor, type Tensor } from '@nnkit/tensor-wasm';
import { describe, expect, test } from 'vitest';
import { l1, l1l2, l2 } from './weight-penalty';

await init();

// float32 sums of a few hundred terms keep about 6 significant digits.
const FLOAT32_DIGITS = 5;
const FLOAT64_DIGITS = 12;
// Central differences in float64 with h = 1e-6 are accurate to about h² and rounding, ~1e-8.
const FD_STEP = 1e-6;
const FD_DIGITS = 7;

const values = (t: Tensor) => Array.from(t.toArray());

describe('the course example', () => {
  test('L2 with λ = 0.7: cost λ/(2m)·Σw², gradient λ/m·w', () => {
    const w = tensor([1, 2, 3, 4], [2, 2], 'float64');
    const g = tensor([0.5, 0.5, 0.5, 0.5], [2, 2], 'float64');
    // 0.7 / (2·10) · (1 + 4 + 9 + 16) = 1.05
    expect(l2(0.7).penalty(w, 10)).toBeCloseTo(1.05, FLOAT64_DIGITS);
    l2(0.7).addGrad(w, g, 10);
    [0.57, 0.64, 0.71, 0.78].forEach((v, i) => {
      expect(values(g)[i]).toBeCloseTo(v, FLOAT64_DIGITS);
    });
  });
  test('L1: cost λ/m·Σ|w|, gradient λ/m·sign(w), 0 at 0', () => {
    const w = tensor([-2, 0, 3], [3], 'float64');
    const g = tensor([0, 0, 0], [3], 'float64');
    expect(l1(0.5).penalty(w, 5)).toBeCloseTo(0.5, FLOAT64_DIGITS); // 0.5/5 · 5
    l1(0.5).addGrad(w, g, 5);
    expect(values(g)).toEqual([-0.1, 0, 0.1]);
  });
});

describe.each(['float32', 'float64'] as const)('%s weights', (dtype) => {
  const digits = dtype === 'float32' ? FLOAT32_DIGITS : FLOAT64_DIGITS;
  const m = 1000;
  test.each([
    ['l2', l2(0.7), (w: number[]) => (0.7 / (2 * m)) * w.reduce((s, v) => s + v * v, 0), (v: number) => (0.7 / m) * v],
    ['l1', l1(0.3), (w: number[]) => (0.3 / m) * w.reduce((s, v) => s + Math.abs(v), 0), (v: number) => (0.3 / m) * Math.sign(v)],
    [
      'l1l2',
      l1l2({ l1: 0.3, l2: 0.7 }),
      (w: number[]) => (0.3 / m) * w.reduce((s, v) => s + Math.abs(v), 0) + (0.7 / (2 * m)) * w.reduce((s, v) => s + v * v, 0),
      (v: number) => (0.3 / m) * Math.sign(v) + (0.7 / m) * v,
    ],
  ] as const)('%s: cost and gradient match the formula, no tensor leaks', (_name, reg, cost, grad) => {
    const w = randn([20, 30], { seed: 3, dtype });
    const g = randn([20, 30], { seed: 4, dtype });
    const wv = values(w);
    const gv = values(g);
    const before = memory();
    expect(reg.penalty(w, m)).toBeCloseTo(cost(wv), digits);
    reg.addGrad(w, g, m);
    expect(memory()).toEqual(before);
    values(g).forEach((v, i) => {
      expect(v).toBeCloseTo(gv[i] + grad(wv[i]), digits);
    });
    w.dispose();
    g.dispose();
  });
});

describe('gradients are the derivatives of the penalties', () => {
  test.each([['l2', l2(0.9)], ['l1', l1(0.4)], ['l1l2', l1l2({ l1: 0.4, l2: 0.9 })]] as const)('%s', (_name, reg) => {
    const m = 7;
    const base = values(randn([4, 5], { seed: 11, dtype: 'float64' }));
    const g = tensor(new Array(base.length).fill(0), [4, 5], 'float64');
    const w = tensor(base, [4, 5], 'float64');
    reg.addGrad(w, g, m);
    const analytic = values(g);
    for (let i = 0; i < base.length; i++) {
      const at = (delta: number) => {
        const shifted = tensor(base.map((v, j) => (j === i ? v + delta : v)), [4, 5], 'float64');
        const cost = reg.penalty(shifted, m);
        shifted.dispose();
        return cost;
      };
      expect(analytic[i]).toBeCloseTo((at(FD_STEP) - at(-FD_STEP)) / (2 * FD_STEP), FD_DIGITS);
    }
  });
});

test('configuration for display and serialization', () => {
  expect(l1l2({ l1: 0.1, l2: 0.7 }).getConfig()).toEqual({ l1: 0.1, l2: 0.7 });
  expect(l2(0.7).config).toEqual({ l1: 0, l2: 0.7 });
  expect(l1(0.2).className).toBe('L1L2');
});

describe('bad input', () => {
  const w = tensor([1, 2], [2]);
  test.each([
    [() => l2(-1), /l2\(\): lambda -1 must be a finite number ≥ 0/],
    [() => l1(Number.NaN), /l1\(\): lambda NaN/],
    [() => l1l2({ l2: Number.POSITIVE_INFINITY }), /l1l2\(\): l2 Infinity/],
    [() => l2(0.1).penalty(w, 0), /m 0 must be the number of training examples/],
    [() => l2(0.1).addGrad(w, tensor([1, 2, 3], [3]), 10), /gradient \[3\] float32 does not match weights \[2\] float32/],
    [() => l2(0.1).addGrad(w, tensor([1, 2], [2], 'float64'), 10), /gradient \[2\] float64 does not match weights \[2\] float32/],
    [() => l2(0.1).addGrad(w, null as never, 10), /g must be a live Tensor/],
  ])('%#', (run, message) => {
    expect(run).toThrow(NnkitError);
    expect(run).toThrow(message);
  });
  test('a refused gradient is left unchanged', () => {
    const g = tensor([5, 6], [2]);
    expect(() => l2(0.1).addGrad(w, g, 2.5)).toThrow(NnkitError);
    expect(values(g)).toEqual([5, 6]);
  });
});
