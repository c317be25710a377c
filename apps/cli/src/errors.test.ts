// Errors of every nnkit package are user errors: one line, exit code 1, no stack.
import { NnkitError } from '@nnkit/tensor-wasm';
import { NnkitError as TuningError, logUniform } from '@nnkit/tuning';
import { describe, expect, test } from 'vitest';
import { describeError, EXIT_FAILURE, EXIT_INTERNAL } from './errors';

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('one error class across packages', () => {
  test("an error thrown by @nnkit/tuning is an instance of @nnkit/tensor-wasm's NnkitError, and the reverse", () => {
    const fromTuning = thrown(() => logUniform(0, 1));
    expect(fromTuning instanceof NnkitError).toBe(true);
    expect(new NnkitError('INVALID_ARGUMENT', 'x') instanceof TuningError).toBe(true);
    expect(new Error('x') instanceof TuningError).toBe(false);
  });

  test('a tuning error prints as a user error, without a stack', () => {
    const e = thrown(() => logUniform(0, 1)) as Error;
    expect(describeError(e)).toEqual({ message: e.message, exitCode: EXIT_FAILURE, stack: null });
  });

  test('anything else is an internal error with its stack', () => {
    const e = new RangeError('a bug');
    expect(describeError(e)).toEqual({ message: 'a bug', exitCode: EXIT_INTERNAL, stack: e.stack });
  });
});
