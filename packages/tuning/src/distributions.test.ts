import { describe, expect, it } from 'vitest';
import { choice, intLogUniform, intUniform, logUniform, oneMinusLogUniform, uniform } from './distributions';
import { NnkitError } from './errors';
import { createSearchRng } from './rng';

const N = 4000;
// Kolmogorov's asymptotic critical value at α = 0.001 is 1.949/√n: a correct sampler exceeds it
// for one seed in a thousand; a sampler on the wrong scale exceeds it by an order of magnitude.
const KS_BOUND = 1.949 / Math.sqrt(N);

function ks(samples: number[], cdf: (x: number) => number): number {
  const s = [...samples].sort((a, b) => a - b);
  let d = 0;
  s.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, Math.abs((i + 1) / s.length - f), Math.abs(f - i / s.length));
  });
  return d;
}

const draw = (d: { sample(r: ReturnType<typeof createSearchRng>): unknown }, seed: number, n = N) => {
  const rng = createSearchRng(seed);
  return Array.from({ length: n }, () => d.sample(rng) as number);
};

describe('continuous distributions', () => {
  it('uniform(2, 5) passes a KS test against (x − 2)/3', () => {
    const xs = draw(uniform(2, 5), 1);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...xs)).toBeLessThanOrEqual(5);
    expect(ks(xs, (x) => (x - 2) / 3)).toBeLessThan(KS_BOUND);
  });

  it('logUniform(1e-4, 1) passes a KS test against (log10 x + 4)/4 and fails against linear uniform', () => {
    const xs = draw(logUniform(1e-4, 1), 2);
    expect(ks(xs, (x) => (Math.log10(x) + 4) / 4)).toBeLessThan(KS_BOUND);
    expect(ks(xs, (x) => (x - 1e-4) / (1 - 1e-4))).toBeGreaterThan(10 * KS_BOUND);
    // Each decade gets a quarter of the samples.
    const share = xs.filter((x) => x < 1e-3).length / N;
    expect(Math.abs(share - 0.25)).toBeLessThan(0.03);
  });

  it('oneMinusLogUniform(0.9, 0.999) puts as many β in [0.9, 0.99] as in [0.99, 0.999]', () => {
    const xs = draw(oneMinusLogUniform(0.9, 0.999), 3);
    const a = xs.filter((x) => x >= 0.9 && x <= 0.99).length / N;
    const b = xs.filter((x) => x >= 0.99 && x <= 0.999).length / N;
    // Binomial sd of each share is √(0.25/N) ≈ 0.008; a linear sampler would give 0.91 vs 0.09.
    expect(Math.abs(a - b)).toBeLessThan(0.05);
    expect(a + b).toBeCloseTo(1, 10);
    expect(ks(xs, (x) => (Math.log10(1 - x) + 1) / -2)).toBeLessThan(KS_BOUND);
  });
});

describe('integer and categorical distributions', () => {
  it('intUniform covers both ends with equal frequency', () => {
    const xs = draw(intUniform(1, 4), 4);
    const counts = [1, 2, 3, 4].map((k) => xs.filter((x) => x === k).length / N);
    for (const c of counts) expect(Math.abs(c - 0.25)).toBeLessThan(0.03);
    expect(xs.every((x) => Number.isInteger(x))).toBe(true);
  });

  it('intLogUniform gives each integer k the log-width of [k − ½, k + ½]', () => {
    const xs = draw(intLogUniform(1, 8), 5, 20000);
    const total = Math.log(8.5 / 0.5);
    for (const k of [1, 2, 8]) {
      const expected = Math.log((k + 0.5) / (k - 0.5)) / total;
      const got = xs.filter((x) => x === k).length / xs.length;
      expect(Math.abs(got - expected)).toBeLessThan(0.015);
    }
    expect(Math.min(...xs)).toBe(1);
    expect(Math.max(...xs)).toBe(8);
  });

  it('choice draws every value equally often', () => {
    const rng = createSearchRng(6);
    const d = choice(['a', 'b', 'c']);
    const xs = Array.from({ length: N }, () => d.sample(rng));
    for (const v of ['a', 'b', 'c']) expect(Math.abs(xs.filter((x) => x === v).length / N - 1 / 3)).toBeLessThan(0.03);
  });

  it('lays grids out on the own scale', () => {
    expect(logUniform(1e-4, 1).grid(5).map((x) => Number(x.toPrecision(12)))).toEqual([1e-4, 1e-3, 1e-2, 1e-1, 1]);
    expect(oneMinusLogUniform(0.9, 0.999).grid(3).map((x) => Number(x.toPrecision(12)))).toEqual([0.9, 0.99, 0.999]);
    expect(uniform(0, 1).grid(3)).toEqual([0, 0.5, 1]);
    expect(intUniform(1, 3).grid(5)).toEqual([1, 2, 3]);
    expect(intLogUniform(1, 100).grid(3)).toEqual([1, 10, 100]);
  });
});

describe('bad input', () => {
  const cases: [() => unknown, string][] = [
    [() => uniform(1, 1), 'uniform(): low 1 ≥ high 1; expected low < high'],
    [() => uniform(2, 1), 'uniform(): low 2 ≥ high 1; expected low < high'],
    [() => uniform(0, Number.POSITIVE_INFINITY), 'uniform(): bounds 0, Infinity must be finite numbers'],
    [() => logUniform(0, 1), 'logUniform(): low 0 ≤ 0; a log scale needs 0 < low < high'],
    [() => logUniform(-1, 1), 'logUniform(): low -1 ≤ 0; a log scale needs 0 < low < high'],
    [() => oneMinusLogUniform(0.9, 1), 'oneMinusLogUniform(): range [0.9, 1] leaves (0, 1); expected 0 < low < high < 1'],
    [() => oneMinusLogUniform(0, 0.5), 'oneMinusLogUniform(): range [0, 0.5] leaves (0, 1); expected 0 < low < high < 1'],
    [() => intUniform(1.5, 3), 'intUniform(): bounds 1.5, 3 must be integers'],
    [() => intLogUniform(0, 8), 'intLogUniform(): low 0 < 1; a log scale needs 1 ≤ low < high'],
  ];
  it.each(cases)('%s → INVALID_ARGUMENT', (make, message) => {
    expect(make).toThrowError(new NnkitError('INVALID_ARGUMENT', message));
    try {
      make();
    } catch (e) {
      expect((e as NnkitError).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('refuses empty, repeated or non-JSON choices', () => {
    expect(() => choice([])).toThrowError(/expected a non-empty array/);
    expect(() => choice([1, 1])).toThrowError('choice(): values [1,1] repeat; expected distinct values');
    expect(() => choice([{} as unknown as string])).toThrowError(/is not a finite number, string, boolean or null/);
  });
});
