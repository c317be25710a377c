// Argument checks the schedule factories share.
import { checkBoolean, checkNumber, checkOptions, checkPositive } from '../validate';

/** The options object of a schedule factory, with unknown keys rejected. */
export function scheduleOptions(name: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  return checkOptions(`${name}()`, options, [...known, 'stepping']);
}

/** A learning rate value: finite, ≥ 0. */
export function checkRate(name: string, key: string, value: unknown): number {
  return checkNumber(`${name}()`, key, value, 0);
}

/**
 * The progress of a Keras-style decay at t: t/decaySteps, floored with `staircase`, from those two
 * options (decaySteps > 0, default 1; staircase default false).
 */
export function decayProgress(name: string, o: Record<string, unknown>): (t: number) => number {
  const decaySteps = checkPositive(`${name}()`, 'decaySteps', o.decaySteps ?? 1);
  const staircase = checkBoolean(`${name}()`, 'staircase', o.staircase ?? false);
  return (t) => (staircase ? Math.floor(t / decaySteps) : t / decaySteps);
}
