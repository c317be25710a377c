// What a learning-rate schedule is: a plain function of the step or epoch number that says which of
// the two it counts. Factories validate their arguments eagerly, so a typo fails at construction.
import { describeValue, NnkitError } from '@nnkit/tensor-wasm';

/** Whether a schedule counts epochs (the course's decay) or updates (mini-batches). */
export type Stepping = 'epoch' | 'iteration';

/**
 * A learning rate as a function of t. With `stepping: 'iteration'` the optimizer evaluates it at the
 * update's number (1 for the first update, as Adam's bias correction counts); with `'epoch'` at the
 * epoch index the training loop last gave `optimizer.setEpoch(e)` (0 for the first epoch).
 */
export interface Schedule {
  (t: number): number;
  readonly stepping: Stepping;
  /** The factory's name, for messages. */
  readonly scheduleName: string;
  /** The schedule's mutable state, for schedules that have one (reduceOnPlateau). */
  getState?(): unknown;
  setState?(state: unknown): void;
}

/** A learning rate as optimizers accept it: a number, a Schedule, or any function of t. */
export type LearningRate = number | Schedule | ((t: number) => number);

/** Options every schedule factory accepts. */
export interface SteppingOptions {
  /** Count epochs or iterations (updates); default `'iteration'`, as Keras and Optax. */
  stepping?: Stepping;
}

/** Builds a Schedule from its formula, checking t on every call. */
export function defineSchedule(name: string, stepping: Stepping, formula: (t: number) => number, extra: object = {}): Schedule {
  const schedule = (t: number): number => {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
      throw new NnkitError('INVALID_ARGUMENT', `${name}(): t ${describeValue(t)} must be a finite number ≥ 0 (an ${stepping} count)`);
    }
    return formula(t);
  };
  return Object.assign(schedule, { stepping, scheduleName: name }, extra) as Schedule;
}

/** Reads `stepping` from options, rejecting anything but the two names. */
export function steppingOf(name: string, stepping: unknown, fallback: Stepping = 'iteration'): Stepping {
  if (stepping === undefined) return fallback;
  if (stepping === 'epoch' || stepping === 'iteration') return stepping;
  throw new NnkitError('INVALID_ARGUMENT', `${name}(): stepping ${JSON.stringify(stepping)} must be 'epoch' or 'iteration'`);
}

/** The stepping of any learning rate: a plain function counts iterations. */
export function steppingOfRate(rate: LearningRate): Stepping {
  return typeof rate === 'function' && (rate as Schedule).stepping === 'epoch' ? 'epoch' : 'iteration';
}
