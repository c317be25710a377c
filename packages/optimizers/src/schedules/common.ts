// Argument checks the schedule factories share.
import { checkOptionKeys } from '@nnkit/tensor-wasm';
import { checkBoolean, checkNumber, checkPositive } from '../validate';

/** The options object of a schedule factory, with unknown keys rejected. */
export function scheduleOptions(name: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  return checkOptionKeys(options, [...known, 'stepping'], `${name}()`);
}

/** A learning rate value: finite, ≥ 0. */
export function checkRate(value: unknown, key: string, name: string): number {
  return checkNumber(value, key, `${name}()`, 0);
}

/**
 * The progress of a Keras-style decay at t: t/decaySteps, floored with `staircase`, from those two
 * options (decaySteps > 0, default 1; staircase default false).
 */
export function decayProgress(name: string, o: Record<string, unknown>): (t: number) => number {
  const decaySteps = checkPositive(o.decaySteps ?? 1, 'decaySteps', `${name}()`);
  const staircase = checkBoolean(o.staircase ?? false, 'staircase', `${name}()`);
  return (t) => (staircase ? Math.floor(t / decaySteps) : t / decaySteps);
}
