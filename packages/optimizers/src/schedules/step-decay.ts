// Step decay: multiply the rate by a factor every so many epochs (or iterations).
import { checkPositive } from '../validate';
import { checkRate, scheduleOptions } from './common';
import { defineSchedule, type Schedule, type SteppingOptions, steppingOf } from './schedule';

/** Options of {@link stepDecay}. */
export interface StepDecayOptions extends SteppingOptions {
  /** The rate for t < every. */
  initial: number;
  /** Multiplier applied every `every` steps (> 0; e.g. 0.5 halves). */
  factor: number;
  /** Interval between drops (> 0). */
  every: number;
}

/**
 * initial · factor^⌊t/every⌋, as PyTorch's StepLR (step_size = every, gamma = factor).
 *
 * @param options - `initial`, `factor`, `every`, `stepping` ('iteration')
 * @returns a schedule `(t) => lr`
 * @example
 * const lr = stepDecay({ initial: 0.1, factor: 0.5, every: 10, stepping: 'epoch' }); // halves every 10 epochs
 */
export function stepDecay(options: StepDecayOptions): Schedule {
  const name = 'stepDecay';
  const o = scheduleOptions(name, options, ['initial', 'factor', 'every']);
  const initial = checkRate(o.initial, 'initial', name);
  const factor = checkPositive(o.factor, 'factor', `${name}()`);
  const every = checkPositive(o.every, 'every', `${name}()`);
  return defineSchedule(name, steppingOf(name, o.stepping), (t) => initial * factor ** Math.floor(t / every));
}
