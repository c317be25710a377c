// Fused training ops: a dense layer's act(x·w + b), its backward (dz and db in one pass), softmax
// and sigmoid cross-entropy from logits (loss and gradient in one pass), y += α·x, Σx², Σ|x|.
import { allocate, release } from './allocator';
import { activeTape, refuseGrad } from './autodiff/tape';
import { kernelIndex, kernels, kernelState, parallelPool } from './backend';
import { LEAKY_RELU_ALPHA } from './elementwise';
import { NnkitError } from './errors';
import { Activation, ReduceOp } from './generated/kernel-bindings';
import { matmul } from './gemm';
import { checkSameDType, resultTensor } from './ops-common';
import { PARALLEL_MIN_ROW_ELEMENTS, runSplit } from './parallel';
import { formatShape, sameShape } from './shape';
import { checkTensor, offsetOf, Tensor } from './tensor';

const BIAS_ACTIVATION = { float32: kernelIndex('bias_activation_f32'), float64: kernelIndex('bias_activation_f64') };
const ACTIVATION_BACKWARD = { float32: kernelIndex('activation_backward_f32'), float64: kernelIndex('activation_backward_f64') };

/** Activations the fused kernels apply (their derivatives are computed from the output). */
export type FusedActivation = 'linear' | 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh';

const ACTIVATION_CODE: Record<FusedActivation, number> = {
  relu: Activation.RELU, leakyRelu: Activation.LEAKY_RELU, sigmoid: Activation.SIGMOID, tanh: Activation.TANH, linear: Activation.LINEAR,
};

function activationCode(activation: unknown, where: string): number {
  const code = ACTIVATION_CODE[activation as FusedActivation];
  if (code === undefined || !Object.hasOwn(ACTIVATION_CODE, activation as string)) {
    throw new NnkitError(
      'INVALID_ARGUMENT',
      `${where}: unknown activation ${JSON.stringify(activation)}; expected one of ${Object.keys(ACTIVATION_CODE).join(', ')}`,
    );
  }
  return code;
}

function checkAlpha(alpha: number, where: string): number {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: alpha ${String(alpha)} must be a finite number ≥ 0`);
  }
  return alpha;
}

export interface DenseForwardOptions {
  activation?: FusedActivation;
  /** Slope of leakyRelu for negative inputs. */
  alpha?: number;
  out?: Tensor;
}

/**
 * A dense layer's forward pass act(x·w + b): one gemm, then bias and activation in one pass.
 *
 * @param x - [m, k] inputs
 * @param w - [k, n] kernel
 * @param b - [n] bias, or null
 * @returns [m, n] activations (or `out`)
 * @example
 * const a1 = denseForward(x, w1, b1, { activation: 'relu' });
 */
export function denseForward(x: Tensor, w: Tensor, b: Tensor | null, opts: DenseForwardOptions = {}): Tensor {
  const where = 'denseForward()';
  const code = activationCode(opts.activation ?? 'linear', where);
  const alpha = checkAlpha(opts.alpha ?? LEAKY_RELU_ALPHA, where);
  checkTensor(x, 'x', where);
  if (activeTape !== null) refuseGrad(where, b === null ? [x, w] : [x, w, b]);
  checkTensor(w, 'w', where);
  if (w.rank !== 2) throw new NnkitError('INVALID_SHAPE', `${where}: w must be 2-D, got ${formatShape(w.shape)}`);
  const n = w.shape[1];
  if (b !== null) {
    checkTensor(b, 'b', where);
    checkSameDType(w, b, where);
    if (b.size !== n || b.rank > 2) {
      throw new NnkitError('SHAPE_MISMATCH', `${where}: bias ${formatShape(b.shape)} does not match ${n} output units of w ${formatShape(w.shape)}`);
    }
  }
  const out = matmul(x, w, { out: opts.out });
  const m = out.shape[0];
  // Row by row: split over the pool by rows (z and out move; the bias is per column).
  runSplit(
    kernels(out.dtype).bias_activation, BIAS_ACTIVATION[out.dtype],
    [code, offsetOf(out), b === null ? 0 : offsetOf(b), offsetOf(out), 0, m, n, alpha],
    { countAt: 5, pointers: [1, 3], unitBytes: n * (out.dtype === 'float32' ? 4 : 8), grain: 4 },
    Math.ceil(PARALLEL_MIN_ROW_ELEMENTS / Math.max(1, n)),
  );
  return out;
}

export interface ActivationBackwardOptions {
  activation: FusedActivation;
  alpha?: number;
  out?: Tensor;
  /** When given ([n]), receives db = Σ over rows of dz. */
  biasGrad?: Tensor;
}

/**
 * Backward of bias + activation: dz = dy ⊙ act'(·), computed from the activation's output y, and
 * optionally db = Σ_rows dz, in one pass.
 *
 * @example
 * const dz = activationBackward(dA, a1, { activation: 'relu', biasGrad: db1 });
 */
export function activationBackward(dy: Tensor, y: Tensor, opts: ActivationBackwardOptions): Tensor {
  const where = 'activationBackward()';
  const code = activationCode(opts?.activation, where);
  const alpha = checkAlpha(opts.alpha ?? LEAKY_RELU_ALPHA, where);
  checkTensor(dy, 'dy', where);
  checkTensor(y, 'y', where);
  checkSameDType(dy, y, where);
  if (!sameShape(dy.shape, y.shape) || y.rank !== 2) {
    throw new NnkitError('SHAPE_MISMATCH', `${where}: dy ${formatShape(dy.shape)} and y ${formatShape(y.shape)} must be the same 2-D shape`);
  }
  const [m, n] = y.shape;
  const out = resultTensor(y.shape, y.dtype, opts.out, where);
  let db = 0;
  if (opts.biasGrad !== undefined) {
    checkTensor(opts.biasGrad, 'biasGrad', where);
    checkSameDType(y, opts.biasGrad, where);
    if (opts.biasGrad.size !== n) {
      throw new NnkitError('SHAPE_MISMATCH', `${where}: biasGrad ${formatShape(opts.biasGrad.shape)} must hold ${n} values`);
    }
    db = offsetOf(opts.biasGrad);
  }
  const kernel = kernels(y.dtype);
  if (m * n < PARALLEL_MIN_ROW_ELEMENTS || parallelPool() === null) {
    kernel.activation_backward(code, offsetOf(dy), offsetOf(y), offsetOf(out), db, m, n, alpha);
    return out;
  }
  // dz row by row over the pool, then db = Σ_rows dz on this thread: the same additions in the same
  // order as the one-pass kernel (row 0 first), except that the kernel starts from +0, so a column
  // of −0 sums to +0 there; adding +0 at the end does exactly that and changes nothing else.
  const E = y.dtype === 'float32' ? 4 : 8;
  runSplit(
    kernel.activation_backward, ACTIVATION_BACKWARD[y.dtype],
    [code, offsetOf(dy), offsetOf(y), offsetOf(out), 0, m, n, alpha],
    { countAt: 5, pointers: [1, 2, 3], unitBytes: n * E, grain: 4 },
    Math.ceil(PARALLEL_MIN_ROW_ELEMENTS / Math.max(1, n)),
  );
  if (db !== 0) {
    kernel.reduce(ReduceOp.SUM, offsetOf(out), db, 1, m, n);
    const s = kernelState();
    const view = y.dtype === 'float32' ? s.f32 : s.f64;
    for (let j = db / E, end = j + n; j < end; j++) view[j] += 0;
  }
  return out;
}

export interface CrossEntropyOptions {
  /** Receives d(mean loss)/d logits. */
  grad?: Tensor;
}

function checkGrad(grad: Tensor | undefined, logits: Tensor, where: string): number {
  if (grad === undefined) return 0;
  resultTensor(logits.shape, logits.dtype, grad, where);
  return offsetOf(grad);
}

/**
 * Mean softmax cross-entropy of logits [m, k] against one-hot (or probability) rows [m, k] or
 * integer class ids (length m), computed stably from logits; writes (softmax − y)/m into `grad`.
 *
 * @returns the mean loss over rows
 * @example
 * const loss = softmaxCrossEntropyWithLogits(logits, yOneHot, { grad: dLogits });
 */
export function softmaxCrossEntropyWithLogits(logits: Tensor, labels: Tensor | Int32Array | readonly number[], opts: CrossEntropyOptions = {}): number {
  const where = 'softmaxCrossEntropyWithLogits()';
  checkTensor(logits, 'logits', where);
  if (activeTape !== null) refuseGrad(where, [logits]);
  if (logits.rank !== 2) throw new NnkitError('INVALID_SHAPE', `${where}: logits must be 2-D [rows, classes], got ${formatShape(logits.shape)}`);
  const [m, k] = logits.shape;
  if (m === 0) throw new NnkitError('INVALID_SHAPE', `${where}: logits ${formatShape(logits.shape)} has no rows`);
  const grad = checkGrad(opts.grad, logits, where);
  const kernel = kernels(logits.dtype);
  if (labels instanceof Tensor) {
    const y = checkTensor(labels, 'labels', where);
    checkSameDType(logits, y, where);
    if (!sameShape(y.shape, logits.shape)) {
      throw new NnkitError('SHAPE_MISMATCH', `${where}: one-hot labels ${formatShape(y.shape)} must match logits ${formatShape(logits.shape)}`);
    }
    return kernel.softmax_xent(offsetOf(logits), offsetOf(y), 0, grad, m, k, 1 / m) / m;
  }
  const ids = labels as ArrayLike<number>;
  if (ids.length !== m) throw new NnkitError('SHAPE_MISMATCH', `${where}: ${ids.length} class ids for ${m} rows of logits`);
  for (let i = 0; i < m; i++) {
    const c = ids[i];
    if (!Number.isInteger(c) || c < 0 || c >= k) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: class id ${c} at row ${i} is outside [0, ${k})`);
    }
  }
  const p = allocate(m * 4);
  try {
    kernelState().i32.set(ids, p / 4);
    return kernel.softmax_xent(offsetOf(logits), p, 1, grad, m, k, 1 / m) / m;
  } finally {
    release(p);
  }
}

/**
 * Mean binary cross-entropy of logits against targets in [0, 1] (same shape), stable for any
 * logit; writes (σ(z) − t)/size into `grad`.
 *
 * @returns the mean loss over all elements
 */
export function sigmoidCrossEntropyWithLogits(logits: Tensor, targets: Tensor, opts: CrossEntropyOptions = {}): number {
  const where = 'sigmoidCrossEntropyWithLogits()';
  checkTensor(logits, 'logits', where);
  if (activeTape !== null) refuseGrad(where, [logits]);
  checkTensor(targets, 'targets', where);
  checkSameDType(logits, targets, where);
  if (!sameShape(logits.shape, targets.shape)) {
    throw new NnkitError('SHAPE_MISMATCH', `${where}: targets ${formatShape(targets.shape)} must match logits ${formatShape(logits.shape)}`);
  }
  if (logits.size === 0) throw new NnkitError('INVALID_SHAPE', `${where}: logits ${formatShape(logits.shape)} is empty`);
  const grad = checkGrad(opts.grad, logits, where);
  const n = logits.size;
  return kernels(logits.dtype).sigmoid_xent(offsetOf(logits), offsetOf(targets), grad, n, 1 / n) / n;
}

/** Checks and runs a kernel that updates y in place from α and x (same shape and dtype). */
function scaledUpdate(kernel: 'axpy' | 'axpy_sign', where: string, alpha: number, x: Tensor, y: Tensor): Tensor {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: alpha ${String(alpha)} must be a finite number`);
  }
  checkTensor(x, 'x', where);
  checkTensor(y, 'y', where);
  checkSameDType(x, y, where);
  if (!sameShape(x.shape, y.shape)) {
    throw new NnkitError('SHAPE_MISMATCH', `${where}: x ${formatShape(x.shape)} and y ${formatShape(y.shape)} must have the same shape`);
  }
  kernels(y.dtype)[kernel](alpha, offsetOf(x), offsetOf(y), y.size);
  return y;
}

/**
 * y += α·x in place (same shape and dtype).
 * @returns y
 * @example
 * axpy(lambda / m, w, dw); // add the L2 term to a gradient
 */
export function axpy(alpha: number, x: Tensor, y: Tensor): Tensor {
  return scaledUpdate('axpy', 'axpy()', alpha, x, y);
}

/**
 * y += α·sign(x) in place (sign 0 where x is ±0): the gradient of an L1 penalty without a temporary.
 * @returns y
 * @example
 * axpySign(lambda / m, w, dw);
 */
export function axpySign(alpha: number, x: Tensor, y: Tensor): Tensor {
  return scaledUpdate('axpy_sign', 'axpySign()', alpha, x, y);
}

/** Σ x², accumulated in float64 (for L2 penalties and gradient norms, without a temporary). */
export function sumSquares(x: Tensor): number {
  checkTensor(x, 'x', 'sumSquares()');
  return kernels(x.dtype).sum_power(offsetOf(x), x.size, 2);
}

/** Σ |x|, accumulated in float64 (for L1 penalties, without a temporary). */
export function sumAbs(x: Tensor): number {
  checkTensor(x, 'x', 'sumAbs()');
  return kernels(x.dtype).sum_power(offsetOf(x), x.size, 1);
}
