// Inverse square-root decay, the course's α = k/√epochNum·α0 (or k/√t over mini-batches).
import { checkPositive } from '../validate';
import { checkRate, scheduleOptions } from './common';
import { defineSchedule, type Schedule, type SteppingOptions, steppingOf } from './schedule';

/** Options of {@link inverseSqrtDecay}. */
export interface InverseSqrtDecayOptions extends SteppingOptions {
  /** α0. */
  initial: number;
  /** The constant k (> 0); default 1. */
  k?: number;
}

/**
 * k · initial / √t for t ≥ 1. t = 0 (the first epoch when epochs count from 0) is taken as t = 1,
 * so epochs 0 and 1 both use k·initial instead of dividing by zero.
 *
 * @param options - `initial`, `k` (1), `stepping` ('iteration')
 * @returns a schedule `(t) => lr`
 * @example
 * const lr = inverseSqrtDecay({ initial: 0.1, k: 1 }); // iteration t: 0.1/√t
 */
export function inverseSqrtDecay(options: InverseSqrtDecayOptions): Schedule {
  const name = 'inverseSqrtDecay';
  const o = scheduleOptions(name, options, ['initial', 'k']);
  const initial = checkRate(o.initial, 'initial', name);
  const k = checkPositive(o.k ?? 1, 'k', `${name}()`);
  return defineSchedule(name, steppingOf(name, o.stepping), (t) => (k * initial) / Math.sqrt(Math.max(t, 1)));
}
