/**
 * The codes `@nnkit/tuning` throws: a subset of the one list of nnkit error codes, which is
 * `NnkitErrorCode` in `@nnkit/tensor-wasm` (src/errors.ts, with a line on each code, and the table in
 * its README). This package imports nothing of ours, so it repeats the codes it uses.
 */
export type NnkitErrorCode =
  | 'INVALID_ARGUMENT'
  | 'EMPTY_SPACE'
  | 'INVALID_SPACE'
  | 'STORAGE_MISMATCH'
  | 'STORAGE_UNAVAILABLE'
  | 'STORAGE_LOCKED'
  | 'WORKER_UNAVAILABLE'
  | 'OBJECTIVE_LOAD_FAILED'
  | 'NO_COMPLETED_TRIALS'
  | 'MISSING_DEPENDENCY';

/**
 * The brand of every nnkit error, the same symbol as in `@nnkit/tensor-wasm`: `Symbol.for` makes
 * `instanceof NnkitError` hold between this class and that one (and between any two copies of
 * either), although neither package imports the other.
 */
const BRAND = Symbol.for('nnkit.error');

/**
 * The nnkit error class, as `@nnkit/tuning` defines it without importing `@nnkit/tensor-wasm`:
 * `instanceof` holds between the two classes both ways. Every check throws it before any state
 * changes, with a message that names the offending value and what was expected, and a stable
 * `code` to branch on.
 *
 * @param code - a stable {@link NnkitErrorCode}
 * @param message - names the bad value and the expected one
 * @returns the error, to be thrown
 * @example
 * try { logUniform(0, 1) } catch (e) { if (e instanceof NnkitError && e.code === 'INVALID_ARGUMENT') … }
 */
export class NnkitError extends Error {
  readonly code: NnkitErrorCode;

  static {
    // On the prototype and not enumerable: errors print and serialize as before.
    Object.defineProperty(NnkitError.prototype, BRAND, { value: true });
  }

  constructor(code: NnkitErrorCode, message: string) {
    super(message);
    this.name = 'NnkitError';
    this.code = code;
  }

  /** True for an nnkit error of any package or copy: decided by the brand, not by the prototype chain. */
  static override [Symbol.hasInstance](value: unknown): value is NnkitError {
    // A subclass keeps the ordinary prototype test, or every NnkitError would pass as one of it.
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked about, maybe a subclass
    if (this !== NnkitError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/**
 * Thrown by an objective (usually through `trial.prune()`) to stop a trial that `trial.shouldPrune()`
 * judged hopeless; the study records the trial as `'pruned'`, not as failed. Recognised by its
 * `name`, so objectives running in workers may throw any error whose name is `'TrialPruned'`.
 *
 * @param message - optional explanation kept in the trial record
 * @returns the signal, to be thrown
 * @example
 * if (trial.shouldPrune()) throw new TrialPruned();
 */
export class TrialPruned extends Error {
  constructor(message = 'trial pruned') {
    super(message);
    this.name = 'TrialPruned';
  }
}
