/** Stable codes of {@link NnkitError}; each names one kind of mistake. */
export type NnkitErrorCode =
  | 'NOT_INITIALIZED'
  | 'INIT_FAILED'
  | 'INVALID_ARGUMENT'
  | 'INVALID_SHAPE'
  | 'SHAPE_MISMATCH'
  | 'DTYPE_MISMATCH'
  | 'UNKNOWN_DTYPE'
  | 'DISPOSED'
  | 'OUT_OF_MEMORY'
  | (string & {});

/**
 * The one error class of nnkit. Every check throws it before any state changes, with a message that
 * names the offending value and what was expected, and a stable `code` to branch on.
 *
 * @example
 * try { add(a, b) } catch (e) { if (e instanceof NnkitError && e.code === 'SHAPE_MISMATCH') … }
 */
export class NnkitError extends Error {
  readonly code: NnkitErrorCode;

  constructor(code: NnkitErrorCode, message: string) {
    super(message);
    this.name = 'NnkitError';
    this.code = code;
  }
}
