// Fused optimizer updates: one kernel pass per parameter that reads w, g and the optimizer's state
// and writes w and the state in place. These wrappers check tensors and scalars, fold the bias
// corrections into scalars in float64, and hide the pointers from the packages above. A large
// parameter's update is split over the worker pool by element ranges (each element's update is
// independent of the others).
import { activeTape, checkWritable } from './autodiff/tape';
import { kernelIndexes, kernels } from './backend';
import { bytesPerElement, type DType } from './dtype';
import { NnkitError } from './errors';
import { runSplit, type Split } from './parallel';
import { thresholds } from './parallel-thresholds';
import { formatShape, sameShape } from './shape';
import { checkTensor, offsetOf, type Tensor } from './tensor';

const SGD = kernelIndexes('sgd');
const MOMENTUM = kernelIndexes('momentum');
const RMSPROP = kernelIndexes('rmsprop');
const ADAM = kernelIndexes('adam');
const COUNT_NONFINITE = kernelIndexes('count_nonfinite');

/** An elementwise split: `pointers` are arrays of the dtype, `countAt` the element count; parts of 64-element multiples. */
function elementwise(dtype: DType, pointers: readonly number[], countAt: number): Split {
  return { countAt, pointers, unitBytes: bytesPerElement(dtype), grain: 64 };
}

/** Checks that every tensor is live and has the shape and dtype of the weights `w`. */
function checkSlots(where: string, w: Tensor, others: Record<string, Tensor>): DType {
  checkTensor(w, 'w', where);
  for (const [name, t] of Object.entries(others)) {
    checkTensor(t, name, where);
    if (t.dtype !== w.dtype) {
      throw new NnkitError('DTYPE_MISMATCH', `${where}: ${name} is ${t.dtype} but w is ${w.dtype}; expected the same dtype`);
    }
    if (!sameShape(t.shape, w.shape)) {
      throw new NnkitError(
        'SHAPE_MISMATCH',
        `${where}: ${name} has shape ${formatShape(t.shape)} but w has shape ${formatShape(w.shape)}; expected the same shape`,
      );
    }
  }
  return w.dtype;
}

/** Throws if one of the tensors an update writes in place is held by a gradient being taken. */
function checkWritten(where: string, written: ReadonlyArray<Tensor | null>): void {
  if (activeTape === null) return;
  for (const t of written) if (t !== null) checkWritable(t, where);
}

function checkScalar(where: string, name: string, value: number, low: number, high = Number.POSITIVE_INFINITY, highOpen = false): void {
  const bad = typeof value !== 'number' || !Number.isFinite(value) || value < low || (highOpen ? value >= high : value > high);
  if (bad) {
    const range = high === Number.POSITIVE_INFINITY ? `a finite number ≥ ${low}` : `a number in [${low}, ${high}${highOpen ? ')' : ']'}`;
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} ${String(value)} must be ${range}`);
  }
}

/**
 * Plain gradient descent in place: w −= lr·g.
 *
 * @param w - weights, updated in place
 * @param g - gradient, same shape and dtype as `w`
 * @param opts - `lr`, the learning rate (finite, ≥ 0)
 * @returns nothing; `w` holds the new weights
 * @example
 * sgdUpdate(w, g, { lr: 0.1 });
 */
export function sgdUpdate(w: Tensor, g: Tensor, opts: { lr: number }): void {
  const where = 'sgdUpdate()';
  const dtype = checkSlots(where, w, { g });
  checkScalar(where, 'lr', opts.lr, 0);
  checkWritten(where, [w]);
  const k = kernels(dtype);
  runSplit(k.sgd, SGD[dtype], [offsetOf(w), offsetOf(g), w.size, opts.lr], elementwise(dtype, [0, 1], 2), thresholds.minElements);
}

/** Scalars of {@link momentumUpdate}. */
export interface MomentumUpdateOptions {
  /** Learning rate (finite, ≥ 0). */
  lr: number;
  /** β, the velocity's decay, in [0, 1). */
  beta: number;
  /** Weight of the gradient in the velocity: 1 − β for the course's averaged form, 1 for the heavy ball. */
  gradientScale: number;
  /** Step along a·g + β·v (Nesterov's look-ahead, as PyTorch) instead of v. */
  nesterov?: boolean;
}

/**
 * Momentum in place: v = β·v + a·g, then w −= lr·v (or lr·(a·g + β·v) with Nesterov).
 *
 * @param w - weights, updated in place
 * @param g - gradient
 * @param v - velocity (zeros before the first step), updated in place
 * @param opts - learning rate, β, the gradient's weight a, and Nesterov
 * @returns nothing; `w` and `v` hold the new values
 * @example
 * momentumUpdate(w, g, v, { lr: 0.1, beta: 0.9, gradientScale: 0.1 }); // v = 0.9·v + 0.1·g
 */
export function momentumUpdate(w: Tensor, g: Tensor, v: Tensor, opts: MomentumUpdateOptions): void {
  const where = 'momentumUpdate()';
  const dtype = checkSlots(where, w, { g, v });
  checkScalar(where, 'lr', opts.lr, 0);
  checkScalar(where, 'beta', opts.beta, 0, 1, true);
  checkScalar(where, 'gradientScale', opts.gradientScale, 0);
  checkWritten(where, [w, v]);
  runSplit(
    kernels(dtype).momentum, MOMENTUM[dtype],
    [offsetOf(w), offsetOf(g), offsetOf(v), w.size, opts.lr, opts.beta, opts.gradientScale, opts.nesterov ? 1 : 0],
    elementwise(dtype, [0, 1, 2], 3), thresholds.minElements,
  );
}

/** Scalars of {@link rmspropUpdate}. */
export interface RmspropUpdateOptions {
  /** Learning rate (finite, ≥ 0). */
  lr: number;
  /** ρ, the decay of the squared-gradient average, in [0, 1). */
  rho: number;
  /** ε (> 0), added to the root (PyTorch, the course) or under it (`epsilonInsideSqrt`). */
  epsilon: number;
  /** w −= lr·g/√(s + ε) as TensorFlow.js and Keras 3, instead of lr·g/(√s + ε). */
  epsilonInsideSqrt?: boolean;
}

/**
 * RMSprop in place: s = ρ·s + (1−ρ)·g², w −= lr·g/(√s + ε). Given `meanGrad`, the centered form:
 * mg = ρ·mg + (1−ρ)·g and s − mg² takes the place of s under the root.
 *
 * @param w - weights, updated in place
 * @param g - gradient
 * @param s - average of g² (zeros before the first step), updated in place
 * @param meanGrad - average of g for the centered form, or null
 * @param opts - learning rate, ρ, ε and where ε goes
 * @returns nothing; `w`, `s` (and `meanGrad`) hold the new values
 * @example
 * rmspropUpdate(w, g, s, null, { lr: 0.01, rho: 0.9, epsilon: 1e-8 });
 */
export function rmspropUpdate(w: Tensor, g: Tensor, s: Tensor, meanGrad: Tensor | null, opts: RmspropUpdateOptions): void {
  const where = 'rmspropUpdate()';
  const dtype = meanGrad ? checkSlots(where, w, { g, s, meanGrad }) : checkSlots(where, w, { g, s });
  checkScalar(where, 'lr', opts.lr, 0);
  checkScalar(where, 'rho', opts.rho, 0, 1, true);
  checkScalar(where, 'epsilon', opts.epsilon, Number.MIN_VALUE);
  checkWritten(where, [w, s, meanGrad]);
  const mg = meanGrad ? offsetOf(meanGrad) : 0;
  runSplit(
    kernels(dtype).rmsprop, RMSPROP[dtype],
    [offsetOf(w), offsetOf(g), offsetOf(s), mg, w.size, opts.lr, opts.rho, 1 - opts.rho, opts.epsilon, meanGrad ? 1 : 0, opts.epsilonInsideSqrt ? 1 : 0],
    elementwise(dtype, [0, 1, 2, 3], 4), thresholds.minElements,
  );
}

/** Scalars of {@link adamUpdate}. */
export interface AdamUpdateOptions {
  /** Learning rate (finite, ≥ 0). */
  lr: number;
  /** β1, decay of the first moment, in [0, 1). */
  beta1: number;
  /** β2, decay of the second moment, in [0, 1). */
  beta2: number;
  /** ε (> 0), added to the root of the bias-corrected second moment. */
  epsilon: number;
  /** The update's number t ≥ 1, for the bias corrections 1 − β1ᵗ and 1 − β2ᵗ. */
  step: number;
  /** λ added to the gradient as λ·w before the moments (PyTorch Adam's weight_decay); default 0. */
  weightDecay?: number;
  /** λ applied as w −= lr·λ·w before the step (PyTorch AdamW); default 0. */
  decoupledWeightDecay?: number;
}

/**
 * Bias-corrected Adam in place: m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g²,
 * w −= lr·m̂/(√v̂ + ε) with m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ); optional coupled or decoupled weight decay.
 *
 * @param w - weights, updated in place
 * @param g - gradient (not modified, also with weight decay)
 * @param m - first moment (zeros before step 1), updated in place
 * @param v - second moment (zeros before step 1), updated in place
 * @param opts - learning rate, β1, β2, ε, the step number t and weight decay
 * @returns nothing; `w`, `m` and `v` hold the new values
 * @example
 * adamUpdate(w, g, m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1 });
 */
export function adamUpdate(w: Tensor, g: Tensor, m: Tensor, v: Tensor, opts: AdamUpdateOptions): void {
  const where = 'adamUpdate()';
  const dtype = checkSlots(where, w, { g, m, v });
  const { lr, beta1, beta2, epsilon, step } = opts;
  const l2 = opts.weightDecay ?? 0;
  const decoupled = opts.decoupledWeightDecay ?? 0;
  checkScalar(where, 'lr', lr, 0);
  checkScalar(where, 'beta1', beta1, 0, 1, true);
  checkScalar(where, 'beta2', beta2, 0, 1, true);
  checkScalar(where, 'epsilon', epsilon, Number.MIN_VALUE);
  checkScalar(where, 'weightDecay', l2, 0);
  checkScalar(where, 'decoupledWeightDecay', decoupled, 0);
  if (!Number.isInteger(step) || step < 1) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: step ${String(step)} must be an integer ≥ 1 (the update's number)`);
  }
  checkWritten(where, [w, m, v]);
  // As PyTorch: step size lr/(1−β1ᵗ) and the root's divisor √(1−β2ᵗ), both in float64.
  const stepSize = lr / (1 - beta1 ** step);
  const k = 1 / Math.sqrt(1 - beta2 ** step);
  runSplit(
    kernels(dtype).adam, ADAM[dtype],
    [offsetOf(w), offsetOf(g), offsetOf(m), offsetOf(v), w.size, beta1, 1 - beta1, beta2, 1 - beta2, stepSize, k, epsilon, l2, 1 - lr * decoupled],
    elementwise(dtype, [0, 1, 2, 3], 4), thresholds.minElements,
  );
}

/**
 * Number of NaN and ±Inf entries of `x`, in one read-only kernel pass (split over the pool by
 * element ranges for a large `x`: the parts' counts add up exactly).
 *
 * @param x - any tensor
 * @returns how many entries are not finite (0 when all are)
 * @example
 * if (countNonFinite(grad) > 0) throw new Error('the gradient diverged');
 */
export function countNonFinite(x: Tensor): number {
  checkTensor(x, 'x', 'countNonFinite()');
  const dtype = x.dtype;
  return runSplit(kernels(dtype).count_nonfinite, COUNT_NONFINITE[dtype], [offsetOf(x), x.size], elementwise(dtype, [0], 1), thresholds.countElements);
}
