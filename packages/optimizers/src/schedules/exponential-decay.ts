// Exponential decay, the course's α = 0.95^epochNum·α0.
import { checkPositive } from '../validate';
import { checkRate, decayProgress, scheduleOptions } from './common';
import { defineSchedule, type Schedule, type SteppingOptions, steppingOf } from './schedule';

/** Options of {@link exponentialDecay}. */
export interface ExponentialDecayOptions extends SteppingOptions {
  /** The rate at t = 0. */
  initial: number;
  /** The factor per decaySteps (> 0; below 1 decays). */
  decayRate: number;
  /** t is divided by this (> 0); default 1. */
  decaySteps?: number;
  /** Floor t/decaySteps; default false. */
  staircase?: boolean;
}

/**
 * initial · decayRate^(t/decaySteps), as Keras's ExponentialDecay; `staircase` floors the exponent.
 *
 * @param options - `initial`, `decayRate`, `decaySteps` (1), `staircase` (false), `stepping` ('iteration')
 * @returns a schedule `(t) => lr`
 * @example
 * const lr = exponentialDecay({ initial: 0.1, decayRate: 0.95, stepping: 'epoch' }); // 0.95^epoch · 0.1
 */
export function exponentialDecay(options: ExponentialDecayOptions): Schedule {
  const name = 'exponentialDecay';
  const o = scheduleOptions(name, options, ['initial', 'decayRate', 'decaySteps', 'staircase']);
  const initial = checkRate(o.initial, 'initial', name);
  const decayRate = checkPositive(o.decayRate, 'decayRate', `${name}()`);
  const progress = decayProgress(name, o);
  return defineSchedule(name, steppingOf(name, o.stepping), (t) => initial * decayRate ** progress(t));
}
