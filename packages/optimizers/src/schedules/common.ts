// Argument checks the schedule factories share.
import { checkNumber, checkOptions } from '../validate';

/** The options object of a schedule factory, with unknown keys rejected. */
export function scheduleOptions(name: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  return checkOptions(`${name}()`, options, [...known, 'stepping']);
}

/** A learning rate value: finite, ≥ 0. */
export function checkRate(name: string, key: string, value: unknown): number {
  return checkNumber(`${name}()`, key, value, 0);
}
