// Reduce the learning rate when a monitored value (usually the dev loss) stops improving.
import { describeValue, NnkitError } from '@nnkit/tensor-wasm';
import { checkInteger, checkNumber } from '../validate';
import { checkRate, scheduleOptions } from './common';
import { defineSchedule, type Schedule } from './schedule';

// Keras's ReduceLROnPlateau defaults.
/** Multiplier applied on a plateau. */
export const PLATEAU_FACTOR = 0.1;
/** Epochs without improvement before a reduction. */
export const PLATEAU_PATIENCE = 10;
/** Smallest change that counts as an improvement. */
export const PLATEAU_MIN_DELTA = 1e-4;

/** Options of {@link reduceOnPlateau}. */
export interface ReduceOnPlateauOptions {
  /** The starting rate. When omitted, the default learning rate of the optimizer it is given to (adam's 1e-3). */
  initial?: number;
  /** Multiplier in (0, 1); default {@link PLATEAU_FACTOR}. */
  factor?: number;
  /** Values without improvement after which the rate is reduced (integer ≥ 0); default {@link PLATEAU_PATIENCE}. */
  patience?: number;
  /** An improvement must beat the best value by more than this (≥ 0); default {@link PLATEAU_MIN_DELTA}. */
  minDelta?: number;
  /** Values to wait after a reduction before counting again (integer ≥ 0); default 0. */
  cooldown?: number;
  /** The rate never goes below this (≥ 0); default 0. */
  minLr?: number;
  /** `'min'` for a loss (default), `'max'` for an accuracy. */
  mode?: 'min' | 'max';
}

/** The mutable part of a plateau schedule, as `getState` returns it. */
export interface PlateauState {
  lr: number | null;
  best: number | null;
  wait: number;
  cooldownCounter: number;
}

/** A schedule that changes only when fed the monitored value. */
export interface PlateauSchedule extends Schedule {
  /**
   * Feeds the monitored value at the end of an epoch and returns the rate for the next one.
   * @param value - the monitored value (finite), e.g. the dev loss
   */
  update(value: number): number;
  getState(): PlateauState;
  setState(state: unknown): void;
  /** @internal Lets an optimizer supply its default rate when `initial` was omitted. */
  adoptInitial(lr: number | undefined, where: string): void;
}

/**
 * Keras's ReduceLROnPlateau as a schedule: after `patience` values in a row that do not improve on
 * the best by more than `minDelta`, the rate becomes max(rate·factor, minLr), then `cooldown` values
 * pass before counting resumes. (PyTorch's ReduceLROnPlateau waits one value longer: its patience p
 * is this patience p + 1.) Stepped per epoch: the training loop calls `update(devLoss)` after each epoch.
 *
 * @param options - `initial`, `factor` (0.1), `patience` (10), `minDelta` (1e-4), `cooldown` (0), `minLr` (0), `mode` ('min')
 * @returns a schedule whose value changes only through `update(value)`
 * @example
 * const plateau = reduceOnPlateau({ initial: 0.01, factor: 0.5, patience: 2 });
 * const opt = adam({ learningRate: plateau });
 * // after each epoch: plateau.update(devLoss);
 */
export function reduceOnPlateau(options: ReduceOnPlateauOptions = {}): PlateauSchedule {
  const name = 'reduceOnPlateau';
  const where = `${name}()`;
  const o = scheduleOptions(name, options, ['initial', 'factor', 'patience', 'minDelta', 'cooldown', 'minLr', 'mode']);
  if (o.stepping !== undefined && o.stepping !== 'epoch') {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: stepping ${JSON.stringify(o.stepping)} must be 'epoch' (it is fed once per epoch)`);
  }
  const factor = checkNumber(o.factor ?? PLATEAU_FACTOR, 'factor', where, 0, 1, true);
  if (factor === 0) throw new NnkitError('INVALID_ARGUMENT', `${where}: factor 0 must be in (0, 1)`);
  const patience = checkInteger(o.patience ?? PLATEAU_PATIENCE, 'patience', where, 0);
  const minDelta = checkNumber(o.minDelta ?? PLATEAU_MIN_DELTA, 'minDelta', where, 0);
  const cooldown = checkInteger(o.cooldown ?? 0, 'cooldown', where, 0);
  const minLr = checkRate(o.minLr ?? 0, 'minLr', name);
  const mode = o.mode ?? 'min';
  if (mode !== 'min' && mode !== 'max') throw new NnkitError('INVALID_ARGUMENT', `${where}: mode ${JSON.stringify(mode)} must be 'min' or 'max'`);
  const state: PlateauState = { lr: o.initial === undefined ? null : checkRate(o.initial, 'initial', name), best: null, wait: 0, cooldownCounter: 0 };
  const current = (): number => {
    if (state.lr === null) throw new NnkitError('INVALID_ARGUMENT', `${where}: no initial rate; give initial, e.g. reduceOnPlateau({ initial: 0.01 })`);
    return state.lr;
  };
  const improves = (value: number): boolean =>
    state.best === null || (mode === 'min' ? value < state.best - minDelta : value > state.best + minDelta);

  return defineSchedule(name, 'epoch', () => current(), {
    update(value: number): number {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new NnkitError('INVALID_ARGUMENT', `${name}.update(): the monitored value ${describeValue(value)} must be a finite number`);
      }
      const lr = current();
      if (state.cooldownCounter > 0) {
        state.cooldownCounter--;
        state.wait = 0;
      }
      if (improves(value)) {
        state.best = value;
        state.wait = 0;
      } else if (state.cooldownCounter === 0) {
        state.wait++;
        if (state.wait >= patience && lr > minLr) {
          state.lr = Math.max(lr * factor, minLr);
          state.cooldownCounter = cooldown;
          state.wait = 0;
        }
      }
      return current();
    },
    getState: (): PlateauState => ({ ...state }),
    setState(saved: unknown): void {
      const s = saved as PlateauState;
      const numberOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
      if (!s || !numberOrNull(s.lr) || !numberOrNull(s.best) || !Number.isInteger(s.wait) || !Number.isInteger(s.cooldownCounter)) {
        throw new NnkitError('INVALID_STATE', `${name}.setState(): expected { lr, best, wait, cooldownCounter } from getState()`);
      }
      Object.assign(state, { lr: s.lr, best: s.best, wait: s.wait, cooldownCounter: s.cooldownCounter });
    },
    adoptInitial(lr: number | undefined, by: string): void {
      if (state.lr !== null) return;
      if (lr === undefined) {
        throw new NnkitError('INVALID_ARGUMENT', `${by}: reduceOnPlateau() needs initial here (this optimizer has no default learning rate)`);
      }
      state.lr = lr;
    },
  }) as PlateauSchedule;
}
