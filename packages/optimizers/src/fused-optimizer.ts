// What every optimizer shares: checking the parameters, resolving the learning rate for the step,
// the all-or-nothing non-finite check, per-tensor state allocated once, and saving/restoring it.
// Subclasses only name their state slots and call one fused kernel per parameter.
import {
  countNonFinite, describeValue, flushSubnormals, NnkitError, Tensor, type TensorTree, unscoped, zeros,
} from '@nnkit/tensor-wasm';
import { pairTrees } from './param-tree';
import { type LearningRate, type Schedule, type Stepping, steppingOfRate } from './schedules/schedule';
import type { Optimizer, OptimizerState, Param, SlotState } from './types';
import { checkInteger, checkLearningRate } from './validate';

type Slots = Record<string, Tensor>;

interface Entry {
  name?: string;
  slots: Slots;
}

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Whether a one-argument `step(x)` got a Tensor structure (which needs grads) rather than a Param list. */
function isTreeNotList(params: unknown): boolean {
  if (params instanceof Tensor) return true;
  if (Array.isArray(params)) return params.length > 0 && (params[0] instanceof Tensor || Array.isArray(params[0]));
  // A lone { value, grad } is a Param given without its array: the list check says so.
  return params !== null && typeof params === 'object' && Object.getPrototypeOf(params) === Object.prototype && !('grad' in params);
}

/**
 * Every this many updates, the state (velocities, moments, averages) is cleared of subnormal numbers
 * (see `flushSubnormals`): a moment whose gradient stays zero decays into the subnormal range and,
 * since β·d rounds back to d there, would stay, making every later update of it about a hundred
 * times slower on x86. A pass every 64 updates costs under 2% of one update per update.
 */
export const FLUSH_SUBNORMALS_EVERY = 64;

/** Options every optimizer accepts besides its hyperparameters. */
export interface CommonOptions {
  /** Check every gradient for NaN/Inf before updating (one read-only pass); default true. */
  checkFinite?: boolean;
}

/**
 * The base of the fused optimizers. `step(params)` either updates every parameter or, when it throws,
 * none: arguments, the learning rate and (with `checkFinite`) every gradient are checked first.
 *
 * @example
 * const opt: FusedOptimizer = adam();
 * opt.step(model.parameters());
 */
export abstract class FusedOptimizer implements Optimizer {
  /** The optimizer's name (`'adam'`), also recorded in its state. */
  abstract readonly className: string;
  /** Names of the per-parameter state tensors, in a fixed order. */
  protected abstract readonly slotNames: readonly string[];
  /** Whether each step checks the gradients for NaN and Inf first. */
  readonly checkFinite: boolean;
  #rate: LearningRate;
  #iterations = 0;
  #epoch = 0;
  #entries = new Map<Tensor, Entry>();
  #pending: OptimizerState | null = null;
  #disposed = false;

  /**
   * @param learningRate - a number or a schedule, already checked
   * @param checkFinite - whether steps check gradients for NaN/Inf
   * @param defaultRate - the optimizer's default rate, adopted by a reduceOnPlateau given without `initial`
   * @param where - the factory's name for messages
   */
  protected constructor(learningRate: LearningRate, checkFinite: boolean, defaultRate: number | undefined, where: string) {
    const adopt = (learningRate as { adoptInitial?: (lr: number | undefined, where: string) => void }).adoptInitial;
    if (typeof learningRate === 'function' && typeof adopt === 'function') adopt(defaultRate, where);
    this.#rate = learningRate;
    this.checkFinite = checkFinite;
  }

  /** Runs the fused kernel for one parameter; `t` is the update's number (1, 2, …). */
  protected abstract update(value: Tensor, grad: Tensor, slots: Slots, lr: number, t: number): void;

  /** Updates done so far; the next step is update number `iterations + 1`. */
  get iterations(): number {
    return this.#iterations;
  }

  /** The epoch index per-epoch schedules are evaluated at (set by the training loop). */
  get epoch(): number {
    return this.#epoch;
  }

  /** The schedule in use, or null when the learning rate is a fixed number. */
  get schedule(): Schedule | ((t: number) => number) | null {
    return typeof this.#rate === 'function' ? this.#rate : null;
  }

  /** Whether the learning rate counts epochs or iterations (a fixed number counts iterations). */
  get stepping(): Stepping {
    return steppingOfRate(this.#rate);
  }

  /** The learning rate the next step uses: the number, or the schedule at the next update or the current epoch. */
  get learningRate(): number {
    return this.#resolveRate(`${this.className}.learningRate`);
  }

  /** Sets a fixed learning rate between steps (the course's manual decay); it replaces any schedule. */
  set learningRate(value: number) {
    const where = `${this.className}.learningRate`;
    if (typeof value === 'function') {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: assign a number; pass a schedule as the learningRate option instead`);
    }
    this.#rate = checkLearningRate(value, where);
  }

  /**
   * Tells the optimizer which epoch is running, for schedules with `stepping: 'epoch'`; the training
   * loop calls it at the start of every epoch (0 for the first).
   *
   * @param epoch - the epoch index, an integer ≥ 0
   * @example
   * for (let e = 0; e < epochs; e++) { opt.setEpoch(e); for (const b of batches) { …; opt.step(params); } }
   */
  setEpoch(epoch: number): void {
    this.#epoch = checkInteger(epoch, 'epoch', `${this.className}.setEpoch()`, 0);
  }

  #resolveRate(where: string): number {
    const rate = this.#rate;
    if (typeof rate === 'number') return rate;
    const epochs = steppingOfRate(rate) === 'epoch';
    const t = epochs ? this.#epoch : this.#iterations + 1;
    const lr = rate(t);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      const name = (rate as Schedule).scheduleName ?? 'the schedule';
      throw new NnkitError(
        'INVALID_LEARNING_RATE',
        `${where}: ${name} returned ${describeValue(lr)} at ${epochs ? 'epoch' : 'iteration'} ${t}; expected a finite number ≥ 0`,
      );
    }
    return lr;
  }

  /**
   * Updates every parameter in place with one fused kernel pass each. Takes either a list of
   * `{ value, grad }` (a model's `parameters()`), or, in the JAX/Optax style, the parameters as a
   * structure (a Tensor, or arrays / plain objects of Tensors, as `valueAndGrad` takes them) and the
   * gradients as the same structure (as `valueAndGrad` returns them). Throws NnkitError before
   * changing anything when the structures, shapes or dtypes differ (naming the path, e.g.
   * `grads.dense_1.kernel`), the learning rate is invalid, or (with `checkFinite`) a gradient holds
   * NaN or Inf (`code: 'NON_FINITE'`, naming the parameter).
   *
   * @param params - the parameters and their gradients, e.g. `model.parameters()`; or a params structure
   * @param grads - with a params structure: the gradients, of the same structure, shapes and dtypes
   * @example
   * opt.step([{ value: w, grad: dw, name: 'w' }]);
   * const { value: loss, grad: g } = valueAndGrad(lossOf)(params);
   * opt.step(params, g);                        // params = { w, b }, g = { w: dw, b: db }
   */
  step(params: Param[]): void;
  step(params: TensorTree, grads: TensorTree): void;
  step(params: Param[] | TensorTree, grads?: TensorTree): void {
    const where = `${this.className}.step()`;
    this.#checkLive(where);
    if (grads === undefined && isTreeNotList(params)) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: got a params structure of Tensors but no grads; pass grads of the same structure: step(params, grads)`);
    }
    const list = grads === undefined ? (params as Param[]) : pairTrees(params, grads, where);
    this.#checkParams(where, list);
    const lr = this.#resolveRate(where);
    if (this.#pending) this.#checkPending(where, list, this.#pending);
    if (this.checkFinite) this.#checkGradients(where, list);
    if (this.#pending) this.#bindPending(list, this.#pending);
    const t = this.#iterations + 1;
    for (const p of list) this.update(p.value, p.grad, this.#slotsOf(p), lr, t);
    if (t % FLUSH_SUBNORMALS_EVERY === 0) for (const p of list) for (const s of Object.values(this.#slotsOf(p))) flushSubnormals(s);
    this.#iterations = t;
  }

  #checkLive(where: string): void {
    if (this.#disposed) {
      throw new NnkitError('DISPOSED', `${where}: this ${this.className} optimizer was disposed (its state is freed); create a new one`);
    }
  }

  #label(p: Param, i: number): string {
    return p.name === undefined ? `parameter ${i}` : `parameter ${i} (${JSON.stringify(p.name)})`;
  }

  #checkParams(where: string, params: Param[]): void {
    if (!Array.isArray(params)) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: params must be an array of { value, grad }, got ${typeof params}`);
    }
    const seen = new Set<Tensor>();
    params.forEach((p, i) => {
      const label = this.#label(p ?? ({} as Param), i);
      for (const key of ['value', 'grad'] as const) {
        const t = p?.[key] as Tensor | undefined;
        if (!t || typeof t !== 'object' || !('isDisposed' in t)) {
          throw new NnkitError('INVALID_ARGUMENT', `${where}: ${label} has no ${key} Tensor`);
        }
        if (t.isDisposed) {
          throw new NnkitError('DISPOSED', `${where}: the ${key} of ${label} (tensor #${t.id}, ${formatShape(t.shape)}) was disposed`);
        }
      }
      if (p.grad.dtype !== p.value.dtype) {
        throw new NnkitError('DTYPE_MISMATCH', `${where}: the grad of ${label} is ${p.grad.dtype}; expected ${p.value.dtype} like its value`);
      }
      if (!sameShape(p.grad.shape, p.value.shape)) {
        throw new NnkitError(
          'SHAPE_MISMATCH',
          `${where}: the grad of ${label} has shape ${formatShape(p.grad.shape)}; expected ${formatShape(p.value.shape)} like its value`,
        );
      }
      if (seen.has(p.value)) throw new NnkitError('INVALID_ARGUMENT', `${where}: ${label} repeats a value tensor already in params`);
      seen.add(p.value);
      const entry = this.#entries.get(p.value);
      const first = entry && Object.values(entry.slots)[0];
      if (first && (first.dtype !== p.value.dtype || !sameShape(first.shape, p.value.shape))) {
        throw new NnkitError(
          'SHAPE_MISMATCH',
          `${where}: ${label} is ${formatShape(p.value.shape)} ${p.value.dtype} but its state is ${formatShape(first.shape)} ${first.dtype}`,
        );
      }
    });
  }

  /** All-or-nothing: every gradient is checked before the first weight is written. */
  #checkGradients(where: string, params: Param[]): void {
    params.forEach((p, i) => {
      const count = countNonFinite(p.grad);
      if (count === 0) return;
      const values = p.grad.toArray();
      const first = values.findIndex((x) => !Number.isFinite(x));
      throw new NnkitError(
        'NON_FINITE',
        `${where}: the gradient of ${this.#label(p, i)} has ${count} non-finite ${count === 1 ? 'entry' : 'entries'} ` +
          `(first: ${values[first]} at flat index ${first}); no parameter was updated`,
      );
    });
  }

  #slotsOf(p: Param): Slots {
    let entry = this.#entries.get(p.value);
    if (!entry) {
      const slots: Slots = {};
      // The moments outlive any scope() the first step runs in.
      for (const s of this.slotNames) slots[s] = unscoped(() => zeros(p.value.shape as number[], p.value.dtype));
      entry = { name: p.name, slots };
      this.#entries.set(p.value, entry);
    }
    return entry.slots;
  }

  /**
   * A copy of the state: counters, the fixed learning rate (or the schedule's state), and each
   * parameter's slots in the order the parameters were first stepped.
   *
   * @returns plain data that `setState` accepts, here or in a new process
   * @example
   * const saved = opt.getState(); … opt2.setState(saved);
   */
  getState(): OptimizerState {
    this.#checkLive(`${this.className}.getState()`);
    if (this.#pending) return structuredClone(this.#pending);
    const slots: SlotState[] = [];
    for (const [value, entry] of this.#entries) {
      const values: Record<string, Float32Array | Float64Array> = {};
      for (const s of this.slotNames) values[s] = entry.slots[s].toArray();
      slots.push({ ...(entry.name === undefined ? {} : { name: entry.name }), shape: [...value.shape], dtype: value.dtype, values });
    }
    const schedule = this.schedule as Schedule | null;
    return {
      optimizer: this.className,
      iterations: this.#iterations,
      epoch: this.#epoch,
      learningRate: typeof this.#rate === 'number' ? this.#rate : null,
      ...(schedule?.getState ? { schedule: schedule.getState() } : {}),
      slots,
    };
  }

  /**
   * Restores a state from `getState`. The per-parameter slots bind at the next `step(params)` by
   * position (and by name where both sides have one), so restore into a fresh optimizer and step
   * the same parameter list. Everything is checked before anything changes.
   *
   * @param state - what `getState` returned (typed arrays or plain number arrays)
   * @example
   * const opt = adam(); opt.setState(JSON.parse(text)); opt.step(model.parameters());
   */
  setState(state: OptimizerState): void {
    const where = `${this.className}.setState()`;
    this.#checkLive(where);
    if (!state || typeof state !== 'object' || !Array.isArray(state.slots)) {
      throw new NnkitError('INVALID_STATE', `${where}: expected an object from getState() with a slots array`);
    }
    if (state.optimizer !== this.className) {
      throw new NnkitError('INVALID_STATE', `${where}: the state is of ${JSON.stringify(state.optimizer)}; expected ${JSON.stringify(this.className)}`);
    }
    checkInteger(state.iterations, 'iterations', where, 0);
    checkInteger(state.epoch, 'epoch', where, 0);
    if (state.learningRate !== null) checkLearningRate(state.learningRate, where);
    state.slots.forEach((slot, i) => {
      const size = Array.isArray(slot?.shape) ? slot.shape.reduce((a, d) => a * d, 1) : Number.NaN;
      if (!(slot?.dtype === 'float32' || slot?.dtype === 'float64') || !Number.isInteger(size)) {
        throw new NnkitError('INVALID_STATE', `${where}: slot ${i} needs a shape and a dtype 'float32' or 'float64'`);
      }
      for (const s of this.slotNames) {
        if (slot.values?.[s]?.length !== size) {
          throw new NnkitError('INVALID_STATE', `${where}: slot ${i} needs ${s} with ${size} values for shape ${formatShape(slot.shape)}`);
        }
      }
    });
    const schedule = this.schedule as Schedule | null;
    if (state.schedule !== undefined && schedule?.setState) schedule.setState(state.schedule);
    this.#disposeSlots();
    this.#iterations = state.iterations;
    this.#epoch = state.epoch;
    if (state.learningRate !== null) this.#rate = state.learningRate;
    this.#pending = structuredClone(state);
  }

  #checkPending(where: string, params: Param[], state: OptimizerState): void {
    if (params.length !== state.slots.length) {
      throw new NnkitError('STATE_MISMATCH', `${where}: the restored state has ${state.slots.length} parameters but step got ${params.length}`);
    }
    params.forEach((p, i) => {
      const slot = state.slots[i];
      if (slot.dtype !== p.value.dtype || !sameShape(slot.shape, p.value.shape)) {
        throw new NnkitError(
          'STATE_MISMATCH',
          `${where}: restored slot ${i} is ${formatShape(slot.shape)} ${slot.dtype}; ${this.#label(p, i)} is ${formatShape(p.value.shape)} ${p.value.dtype}`,
        );
      }
      if (slot.name !== undefined && p.name !== undefined && slot.name !== p.name) {
        throw new NnkitError('STATE_MISMATCH', `${where}: restored slot ${i} belongs to ${JSON.stringify(slot.name)}, not ${JSON.stringify(p.name)}`);
      }
    });
  }

  #bindPending(params: Param[], state: OptimizerState): void {
    params.forEach((p, i) => {
      const slots: Slots = {};
      for (const s of this.slotNames) slots[s] = unscoped(() => zeros(p.value.shape as number[], p.value.dtype)).assign(state.slots[i].values[s]);
      this.#entries.set(p.value, { name: p.name ?? state.slots[i].name, slots });
    });
    this.#pending = null;
  }

  #disposeSlots(): void {
    for (const entry of this.#entries.values()) for (const t of Object.values(entry.slots)) t.dispose();
    this.#entries.clear();
  }

  /**
   * Frees the state tensors and resets the counters. Calling it again does nothing; `step`,
   * `getState` and `setState` afterwards throw `DISPOSED` (create a new optimizer instead).
   */
  dispose(): void {
    this.#disposeSlots();
    this.#pending = null;
    this.#iterations = 0;
    this.#epoch = 0;
    this.#disposed = true;
  }
}
