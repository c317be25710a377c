// Eager argument checks with messages that name the value and the expectation, in the manner of
// PyTorch's `Invalid learning rate: -1`, all throwing NnkitError before anything changes.
import { describeValue, NnkitError } from '@nnkit/tensor-wasm';
import type { LearningRate } from './schedules/schedule';

/** Throws unless `options` is an object whose keys are all in `known` (catches `lr:` for `learningRate:`). */
export function checkOptions(where: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: unknown option ${JSON.stringify(key)}; expected one of ${known.join(', ')}`);
    }
  }
  return options as Record<string, unknown>;
}

/** A finite number ≥ low (and ≤ / < high). */
export function checkNumber(where: string, name: string, value: unknown, low: number, high = Number.POSITIVE_INFINITY, highOpen = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= low && (highOpen ? value < high : value <= high);
  if (!ok) {
    const range = high === Number.POSITIVE_INFINITY ? `a finite number ≥ ${low}` : `a number in [${low}, ${high}${highOpen ? ')' : ']'}`;
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} ${describeValue(value)} must be ${range}`);
  }
  return value as number;
}

/** A finite number > 0. */
export function checkPositive(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} ${describeValue(value)} must be a finite number > 0`);
  }
  return value;
}

/** A decay rate β in [0, 1). */
export function checkBeta(where: string, name: string, value: unknown): number {
  return checkNumber(where, name, value, 0, 1, true);
}

/** An integer ≥ low. */
export function checkInteger(where: string, name: string, value: unknown, low: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} ${describeValue(value)} must be an integer ≥ ${low}`);
  }
  return value;
}

export function checkBoolean(where: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} ${describeValue(value)} must be true or false`);
  return value;
}

/** A learning rate: a finite number ≥ 0 or a schedule function. */
export function checkLearningRate(where: string, value: unknown): LearningRate {
  if (typeof value === 'function') return value as LearningRate;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new NnkitError(
      'INVALID_ARGUMENT',
      `${where}: learningRate ${describeValue(value)} must be a finite number ≥ 0 or a schedule (t) => number`,
    );
  }
  return value;
}
