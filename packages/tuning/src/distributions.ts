// Search distributions. Every numeric one is uniform on its own scale (linear, log10 x, or
// log10(1 − x)); grid points and coarse-to-fine ranges are laid out on that same scale, so that
// "searching 1e-4…1 evenly" means every decade gets the same share of the trials.
import { describeValue } from './describe-value';
import { NnkitError } from './errors';
import type { SearchRng } from './rng';

/** A value a hyperparameter may take; JSON-serialisable so it crosses workers and journals. */
export type ParamValue = number | string | boolean | null;

/** The JSON description of a distribution; it fingerprints a study's space in its journal. */
export type DistributionSpec =
  | { kind: NumericKind; low: number; high: number }
  | { kind: 'choice'; values: ParamValue[] };

/** The numeric distribution kinds. */
export type NumericKind = 'uniform' | 'logUniform' | 'oneMinusLogUniform' | 'intUniform' | 'intLogUniform';

/** A numeric range searched uniformly on its own scale. */
export interface NumericDistribution {
  readonly kind: NumericKind;
  readonly low: number;
  readonly high: number;
  /** True for `intUniform` and `intLogUniform`. */
  readonly integer: boolean;
  /** Maps a value to the scale it is searched on (e.g. log10 x). */
  toScale(x: number): number;
  /** The inverse of `toScale`. */
  fromScale(s: number): number;
  sample(rng: SearchRng): number;
  /** `n` points evenly spaced on the own scale, ends included (fewer for short integer ranges). */
  grid(n: number): number[];
  /** The same kind over a narrower range (used by coarse-to-fine; need not pass user validation). */
  withRange(low: number, high: number): NumericDistribution;
  describe(): DistributionSpec;
}

/** A categorical distribution: one of `values`, each equally likely. */
export interface ChoiceDistribution<T extends ParamValue = ParamValue> {
  readonly kind: 'choice';
  readonly values: readonly T[];
  sample(rng: SearchRng): T;
  describe(): DistributionSpec;
}

/** Any distribution a space entry may hold. */
export type Distribution = NumericDistribution | ChoiceDistribution;

function checkBounds(low: number, high: number, integer: boolean, name: string): void {
  if (!Number.isFinite(low) || !Number.isFinite(high)) {
    throw new NnkitError('INVALID_ARGUMENT', `${name}(): bounds ${describeValue(low)}, ${describeValue(high)} must be finite numbers`);
  }
  if (integer && (!Number.isInteger(low) || !Number.isInteger(high))) {
    throw new NnkitError('INVALID_ARGUMENT', `${name}(): bounds ${low}, ${high} must be integers`);
  }
  if (low >= high) {
    throw new NnkitError('INVALID_ARGUMENT', `${name}(): low ${low} ≥ high ${high}; expected low < high`);
  }
}

interface Scale {
  to(x: number): number;
  from(s: number): number;
}

const LINEAR: Scale = { to: (x) => x, from: (s) => s };
const LOG10: Scale = { to: (x) => Math.log10(x), from: (s) => 10 ** s };
// Searched on r = log10(1 − β); r runs from log10(1 − low) down to log10(1 − high).
const ONE_MINUS_LOG10: Scale = { to: (x) => Math.log10(1 - x), from: (s) => 1 - 10 ** s };

function numeric(kind: NumericKind, low: number, high: number, scale: Scale, integer: boolean): NumericDistribution {
  const a = scale.to(low);
  const b = scale.to(high);
  const clamp = (x: number) => Math.min(high, Math.max(low, x));
  return {
    kind,
    low,
    high,
    integer,
    toScale: scale.to,
    fromScale: scale.from,
    sample(rng) {
      if (!integer) return clamp(scale.from(a + (b - a) * rng.uniform()));
      if (low === high) return low;
      if (scale === LINEAR) return low + rng.int(high - low + 1);
      // Integer log scale: draw on [log(low − ½), log(high + ½)) and round, so each integer k gets
      // the log-width of [k − ½, k + ½) — the integer analogue of log-uniform.
      const lo = Math.log10(low - 0.5);
      const hi = Math.log10(high + 0.5);
      return clamp(Math.round(10 ** (lo + (hi - lo) * rng.uniform())));
    },
    grid(n) {
      if (!Number.isInteger(n) || n < 1) {
        throw new NnkitError('INVALID_ARGUMENT', `grid(): ${n} points requested; expected an integer ≥ 1`);
      }
      if (integer && high - low + 1 <= n) {
        return Array.from({ length: high - low + 1 }, (_, i) => low + i);
      }
      if (n === 1) return [integer ? Math.round(scale.from((a + b) / 2)) : scale.from((a + b) / 2)];
      const points = Array.from({ length: n }, (_, i) => {
        const x = i === 0 ? low : i === n - 1 ? high : scale.from(a + ((b - a) * i) / (n - 1));
        return integer ? Math.round(x) : x;
      });
      return [...new Set(points)];
    },
    withRange(lo, hi) {
      return numeric(kind, lo, hi, scale, integer);
    },
    describe() {
      return { kind, low, high };
    },
  };
}

/**
 * A real number uniform in [low, high].
 *
 * @param low - lower bound
 * @param high - upper bound, > low
 * @returns the distribution
 * @example
 * const space = { dropout: uniform(0, 0.5) };
 */
export function uniform(low: number, high: number): NumericDistribution {
  checkBounds(low, high, false, 'uniform');
  return numeric('uniform', low, high, LINEAR, false);
}

/**
 * A positive real searched on a log scale: α = 10^r with r uniform in [log10 low, log10 high], so
 * 1e-4…1e-3 gets as many trials as 0.1…1. The right scale for learning rates and λ.
 *
 * @param low - lower bound, > 0
 * @param high - upper bound, > low
 * @returns the distribution
 * @example
 * const space = { learningRate: logUniform(1e-4, 1) };
 */
export function logUniform(low: number, high: number): NumericDistribution {
  checkBounds(low, high, false, 'logUniform');
  if (low <= 0) {
    throw new NnkitError('INVALID_ARGUMENT', `logUniform(): low ${low} ≤ 0; a log scale needs 0 < low < high`);
  }
  return numeric('logUniform', low, high, LOG10, false);
}

/**
 * A value in (0, 1) searched so that 1 − β is log-uniform: 1 − β = 10^r. For averaging constants
 * (momentum β, Adam's β2), where β = 0.9 averages over ~10 steps and 0.999 over ~1000: 0.9…0.99 and
 * 0.99…0.999 get equal shares of the trials.
 *
 * @param low - lower bound, in (0, 1)
 * @param high - upper bound, in (low, 1)
 * @returns the distribution
 * @example
 * const space = { beta: oneMinusLogUniform(0.9, 0.999) };
 */
export function oneMinusLogUniform(low: number, high: number): NumericDistribution {
  checkBounds(low, high, false, 'oneMinusLogUniform');
  if (low <= 0 || high >= 1) {
    throw new NnkitError(
      'INVALID_ARGUMENT',
      `oneMinusLogUniform(): range [${low}, ${high}] leaves (0, 1); expected 0 < low < high < 1`,
    );
  }
  return numeric('oneMinusLogUniform', low, high, ONE_MINUS_LOG10, false);
}

/**
 * An integer uniform in [low, high], both ends included.
 *
 * @param low - lower bound, an integer
 * @param high - upper bound, an integer > low
 * @returns the distribution
 * @example
 * const space = { layers: intUniform(1, 4) };
 */
export function intUniform(low: number, high: number): NumericDistribution {
  checkBounds(low, high, true, 'intUniform');
  return numeric('intUniform', low, high, LINEAR, true);
}

/**
 * An integer in [low, high] searched on a log scale (16…256 units: 16–32 as likely as 128–256).
 *
 * @param low - lower bound, an integer ≥ 1
 * @param high - upper bound, an integer > low
 * @returns the distribution
 * @example
 * const space = { units: intLogUniform(16, 512) };
 */
export function intLogUniform(low: number, high: number): NumericDistribution {
  checkBounds(low, high, true, 'intLogUniform');
  if (low < 1) {
    throw new NnkitError('INVALID_ARGUMENT', `intLogUniform(): low ${low} < 1; a log scale needs 1 ≤ low < high`);
  }
  return numeric('intLogUniform', low, high, LOG10, true);
}

/**
 * One of a list of values, each equally likely (categorical: activation names, batch sizes…).
 *
 * @param values - at least one distinct JSON-serialisable value
 * @returns the distribution
 * @example
 * const space = { hidden: choice([64, 128, 256]), activation: choice(['relu', 'tanh']) };
 */
export function choice<const T extends ParamValue>(values: readonly T[]): ChoiceDistribution<T> {
  if (!Array.isArray(values) || values.length === 0) {
    throw new NnkitError('INVALID_ARGUMENT', `choice(): got ${describeValue(values)}; expected a non-empty array of values`);
  }
  for (const v of values) {
    const ok = v === null || ['string', 'boolean'].includes(typeof v) || (typeof v === 'number' && Number.isFinite(v));
    if (!ok) {
      throw new NnkitError('INVALID_ARGUMENT', `choice(): value ${describeValue(v)} is not a finite number, string, boolean or null`);
    }
  }
  if (new Set(values).size !== values.length) {
    throw new NnkitError('INVALID_ARGUMENT', `choice(): values ${JSON.stringify(values)} repeat; expected distinct values`);
  }
  const copy = [...values];
  return {
    kind: 'choice',
    values: copy,
    sample: (rng) => copy[rng.int(copy.length)],
    describe: () => ({ kind: 'choice', values: [...copy] }),
  };
}

/**
 * Tells whether a value is a distribution made by this module (anything else in a space is fixed).
 *
 * @param x - any value
 * @returns true for the results of `uniform`, `logUniform`, …, `choice`
 * @example
 * isDistribution(uniform(0, 1)); // true
 */
export function isDistribution(x: unknown): x is Distribution {
  return typeof x === 'object' && x !== null && typeof (x as Distribution).sample === 'function' && 'kind' in x;
}

/**
 * Tells whether a distribution is numeric (has a range and a scale).
 *
 * @param d - a distribution
 * @returns true unless it is a `choice`
 * @example
 * isNumeric(logUniform(1e-4, 1)); // true
 */
export function isNumeric(d: Distribution): d is NumericDistribution {
  return d.kind !== 'choice';
}
