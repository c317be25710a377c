/** Stable codes of {@link NnkitError}; each names one kind of mistake. */
export type NnkitErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_RANGE'
  | 'EMPTY_SPACE'
  | 'INVALID_SPACE'
  | 'STORAGE_MISMATCH'
  | 'STORAGE_UNAVAILABLE'
  | 'STORAGE_LOCKED'
  | 'WORKER_UNAVAILABLE'
  | 'OBJECTIVE_LOAD_FAILED'
  | 'NO_COMPLETED_TRIALS'
  | (string & {});

/**
 * The error class of `@nnkit/tuning`, shaped like the one of the other nnkit packages (this package
 * imports none of them). Every check throws it before any state changes, with a message that names
 * the offending value and what was expected, and a stable `code` to branch on.
 *
 * @param code - a stable {@link NnkitErrorCode}
 * @param message - names the bad value and the expected one
 * @returns the error, to be thrown
 * @example
 * try { logUniform(0, 1) } catch (e) { if (e instanceof NnkitError && e.code === 'INVALID_RANGE') … }
 */
export class NnkitError extends Error {
  readonly code: NnkitErrorCode;

  constructor(code: NnkitErrorCode, message: string) {
    super(message);
    this.name = 'NnkitError';
    this.code = code;
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
