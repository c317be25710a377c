// The one-parameter Parzen estimator of the TPE sampler, as Optuna 3.1 builds it
// (optuna/samplers/_tpe/parzen_estimator.py, univariate, with its defaults): a mixture of one
// kernel per observation plus a prior kernel. Numeric parameters get truncated Gaussians whose
// widths come from the gaps to their neighbours ("magic clip" bounds them below); categorical
// ones get a categorical kernel that puts mass 1 on the observed choice on top of a prior share.
// Everything here works on the parameter's internal scale (the log for log ranges).
import { logGaussMass, truncatedNormalQuantile } from './normal';
import type { SearchRng } from './rng';

/** Optuna's `prior_weight` default: the prior kernel counts as much as one observation. */
export const PRIOR_WEIGHT = 1.0;
/** Observations beyond this many get decreasing weights, oldest least (Optuna's `default_weights`). */
const FLAT_WEIGHTS = 25;
/** Optuna's `consider_magic_clip`: no kernel is narrower than range / min(100, kernels + 1). */
const MAGIC_CLIP_LIMIT = 100;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** A numeric parameter on its internal scale: kernels live on [low, high]; `step` makes it discrete. */
export interface NumericParzenDomain {
  readonly kind: 'numeric';
  readonly low: number;
  readonly high: number;
  /** Spacing of the discrete values (1 for integers); a value x then stands for [x − step/2, x + step/2]. */
  readonly step?: number;
}

/** A categorical parameter: observations are indices in [0, choices). */
export interface CategoricalParzenDomain {
  readonly kind: 'categorical';
  readonly choices: number;
}

/** What the estimator models. */
export type ParzenDomain = NumericParzenDomain | CategoricalParzenDomain;

/** A fitted estimator: mixture weights (the prior's last) and its kernels. */
export interface ParzenEstimator {
  /** Mixture weights, summing to 1; the last is the prior's. */
  readonly weights: readonly number[];
  /** Kernel centres (numeric), the prior's last. */
  readonly mus: readonly number[];
  /** Kernel widths (numeric), the prior's last. */
  readonly sigmas: readonly number[];
  /** One probability row per kernel (categorical), the prior's last. */
  readonly categorical: readonly (readonly number[])[];
  /** Draws `size` points: numeric ones on the internal scale (not rounded), categorical ones as indices. */
  sample(rng: SearchRng, size: number): number[];
  /**
   * The score of a point: for a continuous parameter Optuna 3.1's kernel score (see below), for
   * a discrete or categorical one its log probability.
   */
  logPdf(x: number): number;
}

/**
 * Optuna's `default_weights(n)`: 1 for each of the last 25 observations, and a ramp from 1/n up
 * to 1 (NumPy's `linspace(1/n, 1, n − 25)`) for the older ones.
 *
 * @param n - the number of observations, oldest first
 * @returns n weights
 * @example
 * defaultWeights(27); // [1/27, 1, 1, …] (27 numbers)
 */
export function defaultWeights(n: number): number[] {
  if (n < FLAT_WEIGHTS) return new Array(n).fill(1);
  const ramp = n - FLAT_WEIGHTS;
  const start = 1 / n;
  const step = ramp > 1 ? (1 - start) / (ramp - 1) : 0;
  const out = Array.from({ length: ramp }, (_, i) => (i === ramp - 1 && ramp > 1 ? 1 : start + i * step));
  return out.concat(new Array(FLAT_WEIGHTS).fill(1));
}

function mixtureWeights(n: number): number[] {
  const w = [...defaultWeights(n), PRIOR_WEIGHT];
  const total = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / total);
}

/**
 * Kernel widths by Optuna's univariate rule: each kernel is as wide as the larger gap to its
 * sorted neighbours (the range's ends count as neighbours), except that the lowest and highest
 * take the gap on their inner side (`consider_endpoints=False`); then clipped to
 * [range / min(100, kernels + 1), range]. The prior kernel (last) spans the whole range.
 */
function numericSigmas(mus: readonly number[], low: number, high: number): number[] {
  // A stable sort: equal centres keep their order. (NumPy's default argsort is stable only for
  // short arrays, so with many tied observations Optuna may hand the tied kernels their widths in
  // another order; the mixture then differs between tied kernels only.)
  const order = mus.map((_, i) => i).sort((a, b) => mus[a] - mus[b] || a - b);
  const ends = [low, ...order.map((i) => mus[i]), high];
  const sorted = order.map((_, k) => Math.max(ends[k + 1] - ends[k], ends[k + 2] - ends[k + 1]));
  if (ends.length >= 4) {
    sorted[0] = ends[2] - ends[1];
    sorted[sorted.length - 1] = ends[ends.length - 2] - ends[ends.length - 3];
  }
  const range = high - low;
  const minSigma = range / Math.min(MAGIC_CLIP_LIMIT, 1 + mus.length);
  const sigmas = new Array<number>(mus.length);
  order.forEach((i, k) => {
    sigmas[i] = Math.min(range, Math.max(minSigma, sorted[k]));
  });
  sigmas[mus.length - 1] = range;
  return sigmas;
}

function pickKernel(weights: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length - 1; i++) {
    acc += weights[i];
    if (u < acc) return i;
  }
  return weights.length - 1;
}

function logSumExp(xs: readonly number[]): number {
  const max = Math.max(...xs);
  if (max === Number.NEGATIVE_INFINITY) return max;
  return max + Math.log(xs.reduce((s, x) => s + Math.exp(x - max), 0));
}

function numericEstimator(obs: readonly number[], d: NumericParzenDomain, weights: number[]): ParzenEstimator {
  const mus = [...obs, 0.5 * (d.low + d.high)];
  const sigmas = numericSigmas(mus, d.low, d.high);
  const logWeights = weights.map(Math.log);
  // log of each kernel's mass on [low, high]: the truncation renormalises it.
  const logAccept = mus.map((mu, i) => logGaussMass((d.low - mu) / sigmas[i], (d.high - mu) / sigmas[i]));
  return {
    weights,
    mus,
    sigmas,
    categorical: [],
    sample(rng, size) {
      return Array.from({ length: size }, () => {
        const i = pickKernel(weights, rng.uniform());
        const z = truncatedNormalQuantile((d.low - mus[i]) / sigmas[i], (d.high - mus[i]) / sigmas[i], rng.uniform());
        return mus[i] + sigmas[i] * z;
      });
    },
    logPdf(x) {
      const step = d.step;
      const terms = mus.map((mu, i) => {
        if (step === undefined) {
          if (x < d.low || x > d.high) return Number.NEGATIVE_INFINITY;
          // Optuna 3.1 (to 3.4) scores a continuous kernel by the standard normal's density at
          // z = (x − mu)/sigma, without the 1/sigma of a density in x: wide kernels count more
          // than a true mixture density would give them. We keep Optuna 3.1's scores, which are
          // what Python users of that version get; Optuna 3.5 added the − log sigma term
          // (commit 206e719, "Fix logpdf for scaled truncnorm").
          const z = (x - mu) / sigmas[i];
          return logWeights[i] - 0.5 * z * z - LOG_SQRT_2PI - logAccept[i];
        }
        // A discrete value has the kernel's mass on its cell, within the range.
        const lo = Math.max(x - step / 2, d.low);
        const hi = Math.min(x + step / 2, d.high);
        return logWeights[i] + logGaussMass((lo - mu) / sigmas[i], (hi - mu) / sigmas[i]) - logAccept[i];
      });
      return logSumExp(terms);
    },
  };
}

function categoricalEstimator(obs: readonly number[], choices: number, weights: number[]): ParzenEstimator {
  // Every kernel shares the prior weight evenly over all choices, and an observation's kernel
  // adds 1 to its own choice; each row is then normalised.
  const base = PRIOR_WEIGHT / (obs.length + 1);
  const rows = [...obs, -1].map((k) => {
    const row = new Array<number>(choices).fill(base);
    if (k >= 0) row[k] += 1;
    const total = row.reduce((s, x) => s + x, 0);
    return row.map((x) => x / total);
  });
  const mixture = Array.from({ length: choices }, (_, c) => rows.reduce((s, row, i) => s + weights[i] * row[c], 0));
  return {
    weights,
    mus: [],
    sigmas: [],
    categorical: rows,
    sample(rng, size) {
      return Array.from({ length: size }, () => pickKernel(rows[pickKernel(weights, rng.uniform())], rng.uniform()));
    },
    logPdf: (x) => Math.log(mixture[x]),
  };
}

/**
 * Fits Optuna's univariate Parzen estimator (prior kernel with weight 1, magic clip, endpoints
 * not considered) to observations, oldest first, on the internal scale.
 *
 * @param observations - internal values (numeric) or choice indices (categorical), oldest first
 * @param domain - the parameter's range or number of choices
 * @returns the estimator
 * @example
 * parzenEstimator([2, 5, 9], { kind: 'numeric', low: 0, high: 10 }).sigmas; // [3, 3, 4, 10]
 */
export function parzenEstimator(observations: readonly number[], domain: ParzenDomain): ParzenEstimator {
  const weights = mixtureWeights(observations.length);
  return domain.kind === 'categorical' ? categoricalEstimator(observations, domain.choices, weights) : numericEstimator(observations, domain, weights);
}
