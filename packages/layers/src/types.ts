// Structural interfaces shared with the other packages. They are types, not imports, so that
// @nnkit/layers never needs an upward import and the optimizers, regularizers and callbacks written
// elsewhere plug in by shape alone (see ARCHITECTURE.md, "Packages, and what each may import").
import type { Tensor } from '@nnkit/tensor-wasm';

/** A trainable tensor and its gradient, as optimizers receive them. */
export interface Param {
  /** Unique within a model, e.g. `dense_1/kernel`. */
  name: string;
  /** The weights; optimizers update it in place. */
  value: Tensor;
  /** The gradient of the last backward pass, same shape and dtype as `value`. */
  grad: Tensor;
}

/** What `fit` and `trainStep` need from an optimizer (e.g. `adam()` from @nnkit/optimizers). */
export interface Optimizer {
  /** Updates every `value` in place from its `grad`. */
  step(params: { value: Tensor; grad: Tensor; name?: string }[]): void;
  /** Steps taken so far. */
  readonly iterations?: number;
  /** A number, or a schedule of the step count. */
  learningRate: number | ((t: number) => number);
  /** Told the epoch index at the start of every epoch, for per-epoch schedules. */
  setEpoch?(epoch: number): void;
  /** Frees the optimizer's state; a model calls it only for an optimizer it owns (one loadModel restored). */
  dispose?(): void;
}

/**
 * A weight penalty with the course's scaling, m being the number of training examples
 * (e.g. `l2(0.7)` from @nnkit/regularizers).
 */
export interface Regularizer {
  /** The cost term, e.g. λ/(2m)·‖W‖²_F. */
  penalty(w: Tensor, m: number): number;
  /** Adds the gradient of the penalty to `g` in place, e.g. λ/m·W. */
  addGrad(w: Tensor, g: Tensor, m: number): void;
  /** Optional Keras-style serialization. */
  getConfig?(): Record<string, unknown>;
  readonly className?: string;
}

// The training-callback contract is @nnkit/regularizers' (its earlyStopping implements it); fit()
// calls these hooks.
export type { BatchLogs, Callback, EpochLogs, TrainableModel } from '@nnkit/regularizers';

/** Labels: a Tensor (one-hot rows or targets), or integer class ids. */
export type Targets = Tensor | Int32Array | readonly number[];
