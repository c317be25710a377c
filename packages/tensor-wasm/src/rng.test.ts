import { beforeAll, describe, expect, test } from 'vitest';
import { createRng, init, randn, randu } from './index';

beforeAll(() => init());

describe('createRng', () => {
  test('xoshiro128** reproduces its reference stream', () => {
    // Reference: the algorithm's published C code, run from the state {1, 2, 3, 4}, gives these
    // first outputs of next() (11520, 0, 5927040, 70819200 — hand-checked from the definition).
    const rng = createRng([1, 2, 3, 4]);
    const firstWords = rng.state();
    expect(firstWords).toEqual([1, 2, 3, 4]);
    // uniform() consumes two words: (w0 >>> 5)·2^26 + (w1 >>> 6) over 2^53.
    expect(rng.uniform()).toBe(((11520 >>> 5) * 2 ** 26 + (0 >>> 6)) / 2 ** 53);
    expect(rng.uniform()).toBe(((5927040 >>> 5) * 2 ** 26 + (70819200 >>> 6)) / 2 ** 53);
  });

  test('uint32() is one step of the generator: the reference outputs themselves', () => {
    const rng = createRng([1, 2, 3, 4]);
    expect([rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  test('fillBernoulli draws exactly the uint32() stream, one word per element', () => {
    const a = createRng(9);
    const b = createRng(9);
    const out = new Float32Array(1001);
    a.fillBernoulli(out, 0.8, 1.25);
    const want = Array.from({ length: 1001 }, () => (b.uint32() < 0.8 * 2 ** 32 ? 1.25 : 0));
    expect(Array.from(out)).toEqual(want);
    expect(a.uint32()).toBe(b.uint32()); // both generators end in the same state
    const kept = want.filter((v) => v > 0).length / want.length;
    expect(Math.abs(kept - 0.8)).toBeLessThan(5 * Math.sqrt(0.8 * 0.2 / 1001));
    expect(() => a.fillBernoulli(out, 1.5, 1)).toThrow(/p 1.5 must be in \[0, 1\]/);
  });

  test('same seed, same stream; different seeds and forks differ', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 50 }, () => a.uniform());
    expect(Array.from({ length: 50 }, () => b.uniform())).toEqual(xs);
    const c = createRng(43);
    expect(c.uniform()).not.toBe(xs[0]);
    const f = createRng(42).fork();
    expect(f.uniform()).not.toBe(xs[0]);
  });

  test('uniform, normal and int have the moments of their distributions', () => {
    const rng = createRng(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      s += u;
      s2 += u * u;
    }
    // Mean 1/2, variance 1/12; 5 standard errors of the estimates.
    expect(Math.abs(s / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n));
    let m = 0;
    let v = 0;
    let k4 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      m += z;
      v += z * z;
      k4 += z ** 4;
    }
    expect(Math.abs(m / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(v / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(k4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n)); // E z⁴ = 3, Var z⁴ = 96
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(5 * Math.sqrt(60_000 * (1 / 6) * (5 / 6)));
  });

  test('state() restores a generator exactly', () => {
    const a = createRng(5);
    a.uniform();
    const b = createRng(a.state());
    expect(b.uniform()).toBe(a.uniform());
  });

  test('bad seeds are refused', () => {
    expect(() => createRng(-1)).toThrow(/seed -1 must be a non-negative safe integer/);
    expect(() => createRng(1.5)).toThrow(/seed 1.5/);
    expect(() => createRng(1).int(0)).toThrow(/rng.int\(0\)/);
  });
});

describe('randn / randu', () => {
  test('seeded, with the requested mean, std and range', () => {
    const a = Array.from(randn([100, 100], { seed: 3, mean: 2, std: 0.5 }).toArray());
    expect(Array.from(randn([100, 100], { seed: 3, mean: 2, std: 0.5 }).toArray())).toEqual(a);
    const mean = a.reduce((p, q) => p + q, 0) / a.length;
    const sd = Math.sqrt(a.reduce((p, q) => p + (q - mean) ** 2, 0) / a.length);
    expect(Math.abs(mean - 2)).toBeLessThan(5 * 0.5 / 100);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.02);
    const u = Array.from(randu([1000], { seed: 4, low: -3, high: -1, dtype: 'float64' }).toArray());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...u)).toBeLessThan(-1);
  });
  test('an rng can be passed instead of a seed, not both', () => {
    const rng = createRng(1);
    expect(() => randn([2], { seed: 1, rng })).toThrow(/either seed or rng/);
    expect(() => randu([2], { low: 1, high: 1 })).toThrow(/low 1 must be below high 1/);
  });
});

