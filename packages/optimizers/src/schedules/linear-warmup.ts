// Linear warm-up in front of another schedule.
import { NnkitError } from '@nnkit/tensor-wasm';
import { checkPositive } from '../validate';
import { checkRate, scheduleOptions } from './common';
import { defineSchedule, type LearningRate, type Schedule, type SteppingOptions, steppingOf, steppingOfRate } from './schedule';

/** Options of {@link linearWarmup}. */
export interface LinearWarmupOptions extends SteppingOptions {
  /** Length of the warm-up (> 0). */
  steps: number;
  /** What follows: a number or a schedule, evaluated from its own t = 0 when the warm-up ends. */
  then: LearningRate;
  /** The rate at t = 0; default 0. */
  start?: number;
}

/**
 * Rises linearly from `start` at t = 0 to then(0) at t = steps, then follows then(t − steps), as
 * Optax's join of a linear and another schedule. It counts what `then` counts (epochs or iterations).
 *
 * @param options - `steps`, `then`, `start` (0)
 * @returns a schedule `(t) => lr`
 * @example
 * const lr = linearWarmup({ steps: 500, then: cosineDecay({ initial: 1e-3, decaySteps: 10_000 }) });
 */
export function linearWarmup(options: LinearWarmupOptions): Schedule {
  const name = 'linearWarmup';
  const o = scheduleOptions(name, options, ['steps', 'then', 'start']);
  const steps = checkPositive(o.steps, 'steps', `${name}()`);
  const start = checkRate(o.start ?? 0, 'start', name);
  const then = o.then as LearningRate;
  if (typeof then !== 'function') checkRate(then, 'then', name);
  else if (o.stepping !== undefined && steppingOf(name, o.stepping) !== steppingOfRate(then)) {
    throw new NnkitError('INVALID_ARGUMENT', `${name}(): stepping ${JSON.stringify(o.stepping)} differs from the stepping of then`);
  }
  const after = (t: number): number => (typeof then === 'function' ? then(t) : then);
  const stepping = typeof then === 'function' ? steppingOfRate(then) : steppingOf(name, o.stepping);
  return defineSchedule(name, stepping, (t) => (t < steps ? start + ((after(0) - start) * t) / steps : after(t - steps)));
}
