// Eager argument checks with messages that name the value and the expectation, in the manner of
// PyTorch's `Invalid learning rate: -1`, all throwing NnkitError before anything changes.
import { describeValue, NnkitError } from '@nnkit/tensor-wasm';
import type { LearningRate } from './schedules/schedule';

/** A finite number ≥ low (and ≤ / < high). */
export function checkNumber(value: unknown, name: string, where: string, low: number, high = Number.POSITIVE_INFINITY, highOpen = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= low && (highOpen ? value < high : value <= high);
  if (!ok) {
    const range = high === Number.POSITIVE_INFINITY ? `a finite number ≥ ${low}` : `a number in [${low}, ${high}${highOpen ? ')' : ']'}`;
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} ${describeValue(value)} must be ${range}`);
  }
  return value as number;
}

/** A finite number > 0. */
export function checkPositive(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} ${describeValue(value)} must be a finite number > 0`);
  }
  return value;
}

/** A decay rate β in [0, 1). */
export function checkBeta(value: unknown, name: string, where: string): number {
  return checkNumber(value, name, where, 0, 1, true);
}

/** An integer ≥ low. */
export function checkInteger(value: unknown, name: string, where: string, low: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} ${describeValue(value)} must be an integer ≥ ${low}`);
  }
  return value;
}

export function checkBoolean(value: unknown, name: string, where: string): boolean {
  if (typeof value !== 'boolean') throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} ${describeValue(value)} must be true or false`);
  return value;
}

/** A learning rate: a finite number ≥ 0 or a schedule function. */
export function checkLearningRate(value: unknown, where: string): LearningRate {
  if (typeof value === 'function') return value as LearningRate;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new NnkitError(
      'INVALID_ARGUMENT',
      `${where}: learningRate ${describeValue(value)} must be a finite number ≥ 0 or a schedule (t) => number`,
    );
  }
  return value;
}
