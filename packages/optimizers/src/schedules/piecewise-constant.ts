// Piecewise-constant rates between boundaries: manual decay written down in advance.
import { describeValue, NnkitError } from '@nnkit/tensor-wasm';
import { checkRate, scheduleOptions } from './common';
import { defineSchedule, type Schedule, type SteppingOptions, steppingOf } from './schedule';

/** Options of {@link piecewiseConstant}. */
export interface PiecewiseConstantOptions extends SteppingOptions {
  /** Strictly increasing values of t where the rate changes. */
  boundaries: number[];
  /** One rate more than there are boundaries. */
  values: number[];
}

/**
 * values[0] for t ≤ boundaries[0], values[i] for boundaries[i−1] < t ≤ boundaries[i], and the last
 * value after the last boundary — Keras's PiecewiseConstantDecay.
 *
 * @param options - `boundaries`, `values`, `stepping` ('iteration')
 * @returns a schedule `(t) => lr`
 * @example
 * const lr = piecewiseConstant({ boundaries: [1000, 2000], values: [0.1, 0.01, 0.001] });
 */
export function piecewiseConstant(options: PiecewiseConstantOptions): Schedule {
  const name = 'piecewiseConstant';
  const o = scheduleOptions(name, options, ['boundaries', 'values']);
  const { boundaries, values } = o as { boundaries: unknown; values: unknown };
  if (!Array.isArray(boundaries) || !Array.isArray(values) || values.length !== boundaries.length + 1) {
    throw new NnkitError(
      'INVALID_ARGUMENT',
      `${name}(): expected arrays with values.length = boundaries.length + 1, got ${Array.isArray(values) ? values.length : describeValue(values)} values ` +
        `and ${Array.isArray(boundaries) ? boundaries.length : describeValue(boundaries)} boundaries`,
    );
  }
  boundaries.forEach((b, i) => {
    if (typeof b !== 'number' || !Number.isFinite(b) || (i > 0 && b <= boundaries[i - 1])) {
      throw new NnkitError('INVALID_ARGUMENT', `${name}(): boundaries[${i}] ${describeValue(b)} must be finite and greater than the boundary before it`);
    }
  });
  const rates = values.map((v, i) => checkRate(v, `values[${i}]`, name));
  const bounds = [...boundaries] as number[];
  return defineSchedule(name, steppingOf(name, o.stepping), (t) => {
    let i = 0;
    while (i < bounds.length && t > bounds[i]) i++;
    return rates[i];
  });
}
