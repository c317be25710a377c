// The structural types the optimizers share with the packages that call them: a model hands over
// `Param`s, and a training loop drives an `Optimizer` without importing this package's classes.
import type { DType, Tensor, TensorTree } from '@nnkit/tensor-wasm';

/** A trainable tensor and its gradient, as `model.parameters()` returns them. */
export interface Param {
  /** The weights, updated in place by `step`. */
  value: Tensor;
  /** d loss / d value: same shape and dtype as `value`; never modified by the optimizer. */
  grad: Tensor;
  /** A name for error messages and for matching a restored state (`'dense_1/kernel'`). */
  name?: string;
}

/** What every optimizer offers a training loop. */
export interface Optimizer {
  /** Updates each value in place from its grad; state is kept per value tensor. */
  step(params: Param[]): void;
  /**
   * The JAX/Optax form: `params` a Tensor or an array / plain object of Tensors (as `valueAndGrad`
   * takes it), `grads` the same structure (as `valueAndGrad` returns it); each value is updated in place.
   */
  step(params: TensorTree, grads: TensorTree): void;
  /** Updates done so far; the next step is update number `iterations + 1`. */
  readonly iterations: number;
  /** The learning rate the next step uses; assigning a number replaces any schedule (manual decay). */
  learningRate: number;
  /** A copy of the optimizer's state (moments, counters, schedule), for checkpoints. */
  getState(): OptimizerState;
  /** Restores a state taken by `getState`, so a run resumes bit-exactly. */
  setState(state: OptimizerState): void;
  /**
   * Frees the state tensors (moments, velocities) and resets the counters. An optimizer you passed
   * to a model's `compile` is yours to dispose: the model does not, since it may be shared. Calling it
   * again does nothing; stepping a disposed optimizer throws `DISPOSED`.
   */
  dispose(): void;
}

/** The saved state of one parameter: its moments (or velocity) by slot name. */
export interface SlotState {
  /** The parameter's name when it had one; restoring checks it against the parameter at that position. */
  name?: string;
  shape: number[];
  dtype: DType;
  /** One array per slot (`firstMoment`, `velocity`, …), row-major, `shape`'s size long. */
  values: Record<string, ArrayLike<number>>;
}

/**
 * An optimizer's state as plain data: counters, the learning rate, a schedule's own state, and one
 * entry per parameter in the order the parameters were first stepped. For JSON, convert the typed
 * arrays with `Array.from` (float32 and float64 values survive JSON exactly).
 */
export interface OptimizerState {
  /** Which optimizer wrote it (`'adam'`, `'adamw'`, `'rmsprop'`, `'momentum'`, `'sgd'`). */
  optimizer: string;
  iterations: number;
  epoch: number;
  /** The fixed learning rate in use, or null while a schedule sets it. */
  learningRate: number | null;
  /** The schedule's own state (reduceOnPlateau's best value and counters), when it has one. */
  schedule?: unknown;
  slots: SlotState[];
}
