// The Parzen estimator against hand computations of Optuna's rules, and against what Optuna 3.1
// itself builds (test/fixtures/tpe-optuna.json, written by scripts/tpe-fixtures.py).
import { describe, expect, it } from 'vitest';
import optuna from '../test/fixtures/tpe-optuna.json';
import { createSearchRng } from './rng';
import { defaultWeights, type ParzenDomain, parzenEstimator } from './tpe-parzen';

interface EstimatorCase {
  name: string;
  observations: number[];
  weights: number[];
  points: number[];
  logPdf: number[];
  mus?: number[];
  sigmas?: number[];
  categorical?: number[][];
}
const fixture = optuna as unknown as {
  defaultWeights: Record<string, number[]>;
  estimators: EstimatorCase[];
};

const LN10 = Math.log(10);

function expectClose(got: readonly number[], want: readonly number[], tol = 1e-12): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(Math.abs(g - want[i]), `[${i}] ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i])));
  });
}

describe('parzenEstimator, by hand', () => {
  it('uniform(0, 10) with observations 2, 5, 9: widths from the neighbour gaps, inner gap at the ends', () => {
    // Kernels at 2, 5, 9 and the prior at 5; sorted with the ends: 0 | 2 5 5 9 | 10.
    // 2 → its inner gap 3 (not max(2, 3) — the ends do not count); 5 → max(3, 0) = 3;
    // the prior → the whole range 10; 9 → its inner gap 9 − 5 = 4. Magic clip: ≥ 10 / 5 = 2.
    const pe = parzenEstimator([2, 5, 9], { kind: 'numeric', low: 0, high: 10 });
    expect(pe.mus).toEqual([2, 5, 9, 5]);
    expect(pe.sigmas).toEqual([3, 3, 4, 10]);
    expect(pe.weights).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it("a continuous point's score is Optuna 3.1's: the standard normal's log density at z, renormalised, without − log sigma", () => {
    // No observation: only the prior, N(5, 10²) on [0, 10]. At x = 1: z = −0.4, mass Φ(0.5) − Φ(−0.5)
    // = 0.38292492254802624 (erf(0.5/√2) from Python), so the score is −0.08 − ½ log 2π − log 0.38292….
    const pe = parzenEstimator([], { kind: 'numeric', low: 0, high: 10 });
    expect(pe.logPdf(1)).toBeCloseTo(-0.08 - 0.5 * Math.log(2 * Math.PI) - Math.log(0.38292492254802624), 14);
    expect(pe.logPdf(10.5)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('magic clip: kernels of close observations are at least range / (kernels + 1) wide', () => {
    // 4.9, 5, 5.1 and the prior at 5 (0 | 4.9 5 5 5.1 | 10): gaps 0.1 and 0 → clipped to 10 / 5 = 2.
    const pe = parzenEstimator([4.9, 5, 5.1], { kind: 'numeric', low: 0, high: 10 });
    expectClose(pe.sigmas, [2, 2, 2, 10]);
  });

  it('logUniform(1e-4, 1) with 1e-3, 1e-2, 1e-1: kernels in log space, one decade wide', () => {
    // ln scale: −4L … 0 with L = ln 10; kernels −3L, −2L, −L, prior −2L; every gap is L; clip 4L / 5.
    const lo = Math.log(1e-4);
    const hi = Math.log(1);
    const pe = parzenEstimator([1e-3, 1e-2, 1e-1].map(Math.log), { kind: 'numeric', low: lo, high: hi });
    expectClose(pe.mus, [-3 * LN10, -2 * LN10, -LN10, -2 * LN10]);
    expectClose(pe.sigmas, [LN10, LN10, LN10, 4 * LN10]);
  });

  it('intUniform(1, 8) with 1, 4, 8: cells [k − ½, k + ½] and a discrete log probability', () => {
    // Range 0.5 … 8.5 (width 8); kernels 1, 4, 8, prior 4.5: sorted 0.5 | 1 4 4.5 8 | 8.5.
    // 1 → 3; 4 → max(3, 0.5) = 3; prior → 8; 8 → inner gap 3.5. Clip ≥ 8 / 5 = 1.6.
    const d: ParzenDomain = { kind: 'numeric', low: 0.5, high: 8.5, step: 1 };
    const pe = parzenEstimator([1, 4, 8], d);
    expect(pe.mus).toEqual([1, 4, 8, 4.5]);
    expect(pe.sigmas).toEqual([3, 3, 3.5, 8]);
    // P(4) = Σ w_i · mass_i([3.5, 4.5]) / mass_i([0.5, 8.5]), with Python's erf for Φ.
    const phi = (x: number) => 0.5 * (1 + erfPy(x / Math.SQRT2));
    const p = pe.mus.reduce((s, mu, i) => {
      const sd = pe.sigmas[i];
      return s + 0.25 * ((phi((4.5 - mu) / sd) - phi((3.5 - mu) / sd)) / (phi((8.5 - mu) / sd) - phi((0.5 - mu) / sd)));
    }, 0);
    expect(pe.logPdf(4)).toBeCloseTo(Math.log(p), 6);
    // The probabilities of the eight integers add up to 1.
    const total = [1, 2, 3, 4, 5, 6, 7, 8].reduce((s, k) => s + Math.exp(pe.logPdf(k)), 0);
    expect(total).toBeCloseTo(1, 12);
  });

  it('choice of 3 with observations a, c, c, b: each kernel adds 1 to its choice over a prior share', () => {
    // 4 observations: every row starts at 1/5 per choice; an observation's row adds 1 and is
    // normalised by 1.6: [0.75, 0.125, 0.125]; the prior row is uniform. Weights 1/5 each.
    const pe = parzenEstimator([0, 2, 2, 1], { kind: 'categorical', choices: 3 });
    expectClose(pe.categorical.flat(), [0.75, 0.125, 0.125, 0.125, 0.125, 0.75, 0.125, 0.125, 0.75, 0.125, 0.75, 0.125, 1 / 3, 1 / 3, 1 / 3]);
    // P(c) = (0.125 + 0.75 + 0.75 + 0.125 + 1/3) / 5.
    expect(pe.logPdf(2)).toBeCloseTo(Math.log((1.75 + 1 / 3) / 5), 14);
  });

  it('default weights: flat up to 25 observations, then a ramp from 1/n for the oldest', () => {
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    expect(defaultWeights(25)).toEqual(new Array(25).fill(1));
    expect(defaultWeights(27)).toEqual([1 / 27, 1, ...new Array(25).fill(1)]);
    // linspace(1/28, 1, 3) = [1/28, (1/28 + 1) / 2, 1].
    expectClose(defaultWeights(28).slice(0, 4), [1 / 28, (1 / 28 + 1) / 2, 1, 1]);
    // With the prior (weight 1) the 3 kernels of 3 observations get 1/4 each.
    expect(parzenEstimator([1, 2, 3], { kind: 'numeric', low: 0, high: 4 }).weights).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('draws stay in the range and follow the mixture (a narrow good region gets most draws)', () => {
    const pe = parzenEstimator([2, 2.1, 2.2, 1.9, 2.05, 2.15, 1.95, 2.12, 2.02, 1.98], { kind: 'numeric', low: 0, high: 100 });
    const xs = pe.sample(createSearchRng(5), 2000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(100);
    // 10 of 11 weights are kernels of width ≥ 100/11 ≈ 9.1 around 2; the prior spreads 1/11 over
    // the range. So about 10/11 · (mass of those kernels below 20) + 1/11 · 0.2 lies below 20.
    const below20 = xs.filter((x) => x < 20).length / xs.length;
    expect(below20).toBeGreaterThan(0.8);
  });
});

describe('parzenEstimator against Optuna 3.1', () => {
  it('default_weights', () => {
    for (const [n, w] of Object.entries(fixture.defaultWeights)) expectClose(defaultWeights(Number(n)), w, 1e-15);
  });

  it.each(fixture.estimators.map((c) => [c.name, c] as const))('%s: weights, kernels and log densities', (name, c) => {
    const domain = domainOf(name);
    const internal = c.observations.map(domain.toInternal);
    const pe = parzenEstimator(internal, domain.domain);
    expectClose(pe.weights, c.weights);
    if (c.categorical) expectClose(pe.categorical.flat(), c.categorical.flat());
    else {
      expectClose(pe.mus, c.mus as number[]);
      expectClose(pe.sigmas, c.sigmas as number[]);
    }
    expectClose(
      c.points.map((x) => pe.logPdf(domain.toInternal(x))),
      c.logPdf,
      1e-10,
    );
  });
});

/** The internal scale of each fixture case, as Optuna maps the distribution. */
function domainOf(name: string): { domain: ParzenDomain; toInternal: (x: number) => number } {
  const id = (x: number) => x;
  if (name.startsWith('uniform(0, 10)')) return { domain: { kind: 'numeric', low: 0, high: 10 }, toInternal: id };
  if (name.startsWith('uniform(-3, 5)')) return { domain: { kind: 'numeric', low: -3, high: 5 }, toInternal: id };
  if (name.startsWith('logUniform')) return { domain: { kind: 'numeric', low: Math.log(1e-4), high: 0 }, toInternal: Math.log };
  if (name.startsWith('1 - beta')) return { domain: { kind: 'numeric', low: Math.log(1e-3), high: Math.log(0.1) }, toInternal: Math.log };
  if (name.startsWith('intUniform')) return { domain: { kind: 'numeric', low: 0.5, high: 8.5, step: 1 }, toInternal: id };
  if (name.startsWith('intLogUniform')) return { domain: { kind: 'numeric', low: Math.log(15.5), high: Math.log(512.5) }, toInternal: Math.log };
  if (name.startsWith('choice')) return { domain: { kind: 'categorical', choices: 3 }, toInternal: id };
  throw new Error(`no domain for fixture case ${name}`);
}

/** Abramowitz–Stegun 7.1.26 is too coarse here; erf from its Maclaurin series (|x| ≤ 3 in these tests). */
function erfPy(x: number): number {
  let sum = 0;
  let term = x;
  for (let n = 0; n < 200; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
