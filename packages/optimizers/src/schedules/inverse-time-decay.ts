// Inverse-time decay, the course's α = α0/(1 + decayRate·epochNum), and its fixed-interval variant.
import { checkNumber } from '../validate';
import { checkRate, decayProgress, scheduleOptions } from './common';
import { defineSchedule, type Schedule, type SteppingOptions, steppingOf } from './schedule';

/** Options of {@link inverseTimeDecay}. */
export interface InverseTimeDecayOptions extends SteppingOptions {
  /** α0, the rate at t = 0. */
  initial: number;
  /** How fast the rate falls (≥ 0). */
  decayRate: number;
  /** t is divided by this (> 0); default 1. */
  decaySteps?: number;
  /** Floor t/decaySteps, so the rate changes every decaySteps only; default false. */
  staircase?: boolean;
}

/**
 * initial / (1 + decayRate·t/decaySteps), as Keras's InverseTimeDecay. With `staircase: true` the
 * quotient is floored: the course's fixed-interval scheduling is `staircase: true, decaySteps: interval`.
 *
 * @param options - `initial`, `decayRate`, `decaySteps` (1), `staircase` (false), `stepping` ('iteration')
 * @returns a schedule `(t) => lr`
 * @example
 * const lr = inverseTimeDecay({ initial: 0.2, decayRate: 1, stepping: 'epoch' }); // 0.2, 0.1, 0.0667, …
 */
export function inverseTimeDecay(options: InverseTimeDecayOptions): Schedule {
  const name = 'inverseTimeDecay';
  const o = scheduleOptions(name, options, ['initial', 'decayRate', 'decaySteps', 'staircase']);
  const initial = checkRate(o.initial, 'initial', name);
  const decayRate = checkNumber(o.decayRate, 'decayRate', `${name}()`, 0);
  const progress = decayProgress(name, o);
  return defineSchedule(name, steppingOf(name, o.stepping), (t) => initial / (1 + decayRate * progress(t)));
}
