// User errors end the command with a one-line message and a non-zero exit code, never a stack
// trace. Errors from the nnkit packages (NnkitError) already name the bad value and the expected
// one, so they are shown the same way; anything else is a bug and keeps its stack.
import { NnkitError } from '@nnkit/tensor-wasm';

/** Exit code of a run that was asked for something invalid (bad flag value, bad data file). */
export const EXIT_USAGE = 2;
/** Exit code of a run that started but failed (divergence, a package refusing its input). */
export const EXIT_FAILURE = 1;
/** Exit code of an unexpected internal error. */
export const EXIT_INTERNAL = 70;

/** An error caused by the user's input; `message` says what was wrong and what was expected. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = EXIT_USAGE) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** The message and exit code to end with for `error`, and whether to show its stack. */
export function describeError(error: unknown): { message: string; exitCode: number; stack: string | null } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode, stack: null };
  if (error instanceof NnkitError) return { message: error.message, exitCode: EXIT_FAILURE, stack: null };
  if (error instanceof Error && (error as NodeJS.ErrnoException).code !== undefined && (error as NodeJS.ErrnoException).syscall) {
    // File-system errors (EACCES, ENOENT, …) come from user-given paths.
    return { message: error.message, exitCode: EXIT_FAILURE, stack: null };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { message: e.message, exitCode: EXIT_INTERNAL, stack: e.stack ?? null };
}
