// Cosine decay (Loshchilov & Hutter's SGDR without restarts) to a floor.
import { portableCos } from '@nnkit/tensor-wasm';
import { checkNumber, checkPositive } from '../validate';
import { checkRate, scheduleOptions } from './common';
import { defineSchedule, type Schedule, type SteppingOptions, steppingOf } from './schedule';

/** Options of {@link cosineDecay}. */
export interface CosineDecayOptions extends SteppingOptions {
  /** The rate at t = 0. */
  initial: number;
  /** Steps over which the rate falls to its floor (> 0). */
  decaySteps: number;
  /** The floor as a fraction of initial, in [0, 1]; default 0. */
  alpha?: number;
}

/**
 * initial · ((1−α)·½(1 + cos(π·min(t, decaySteps)/decaySteps)) + α), as Keras's CosineDecay: from
 * initial down to α·initial at decaySteps, constant afterwards.
 *
 * @param options - `initial`, `decaySteps`, `alpha` (0), `stepping` ('iteration')
 * @returns a schedule `(t) => lr`
 * @example
 * const lr = cosineDecay({ initial: 0.1, decaySteps: 10_000, alpha: 0.01 });
 */
export function cosineDecay(options: CosineDecayOptions): Schedule {
  const name = 'cosineDecay';
  const o = scheduleOptions(name, options, ['initial', 'decaySteps', 'alpha']);
  const initial = checkRate(o.initial, 'initial', name);
  const decaySteps = checkPositive(o.decaySteps, 'decaySteps', `${name}()`);
  const alpha = checkNumber(o.alpha ?? 0, 'alpha', `${name}()`, 0, 1);
  return defineSchedule(name, steppingOf(name, o.stepping), (t) => {
    const cosine = 0.5 * (1 + portableCos((Math.PI * Math.min(t, decaySteps)) / decaySteps));
    return initial * ((1 - alpha) * cosine + alpha);
  });
}
