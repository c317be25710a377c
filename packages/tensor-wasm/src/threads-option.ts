// The `threads` option of init(): 'auto' or a whole number of threads, checked before anything starts.
import { describeValue } from './describe-value';
import { NnkitError } from './errors';
import { CONTROL } from './pool-layout';

/** What `init({ threads })` accepts: `'auto'` or a count from 1 to {@link MAX_THREADS}. */
export type ThreadsOption = 'auto' | number;

/** The most threads a pool may have. */
export const MAX_THREADS = CONTROL.MAX_THREADS;

/**
 * Throws INVALID_ARGUMENT unless `value` is `'auto'` or an integer in [1, MAX_THREADS].
 *
 * @param value - what the caller passed as `threads`
 */
export function checkThreads(value: unknown): asserts value is ThreadsOption {
  if (value === 'auto') return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_THREADS) {
    throw new NnkitError(
      'INVALID_ARGUMENT',
      `init(): threads ${describeValue(value)} must be 'auto' or a whole number of threads from 1 to ${MAX_THREADS}`,
    );
  }
}

/**
 * The default of `threads` when init() is not given one: `'auto'`, unless the host set
 * `globalThis[Symbol.for('nnkit.defaultThreads')]` (tuning's trial workers set 1, since a study's
 * trials already run side by side) to a valid count.
 */
export function defaultThreads(): ThreadsOption {
  const hint = (globalThis as Record<symbol, unknown>)[Symbol.for('nnkit.defaultThreads')];
  try {
    if (hint !== undefined) {
      checkThreads(hint);
      return hint;
    }
  } catch {
    // An unusable hint is ignored: the default stays 'auto'.
  }
  return 'auto';
}
