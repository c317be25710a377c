// Fused training ops: a dense layer's act(x·w + b) (differentiable: its rule is the hand-written
// backward below and two products), its backward (dz and db in one pass), y += α·x, Σx², Σ|x|.
// The cross-entropies are in cross-entropy.ts.
import { activeTape, BACKWARD_OP, checkWritable, recordOp, refuseGrad, withoutRecording } from './autodiff/tape';
import { kernelIndexes, kernels } from './backend';
import { bytesPerElement } from './dtype';
import { LEAKY_RELU_ALPHA } from './elementwise';
import { NnkitError } from './errors';
import { Activation } from './generated/kernel-bindings';
import { matmul } from './gemm';
import { checkSameDType, resultTensor } from './ops-common';
import { runColumnSplit, runSplit, unitsFor } from './parallel';
import { thresholds } from './parallel-thresholds';
import { formatShape, sameShape } from './shape';
import { checkTensor, emptyTensor, offsetOf, type Tensor } from './tensor';

const BIAS_ACTIVATION = kernelIndexes('bias_activation');
const ACTIVATION_BACKWARD = kernelIndexes('activation_backward');

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
 * Differentiable in x, w and b: its rule is {@link activationBackward} (dz and db in one pass)
 * and two products.
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
  let out: Tensor;
  if (activeTape === null) out = matmul(x, w, { out: opts.out });
  else {
    // The product is part of this op: recorded once, below, with the whole op's rule.
    if (opts.out !== undefined) checkWritable(opts.out, where);
    out = withoutRecording(() => matmul(x, w, { out: opts.out }));
  }
  const m = out.shape[0];
  // Row by row: split over the pool by rows (z and out move; the bias is per column).
  runSplit(
    kernels(out.dtype).bias_activation, BIAS_ACTIVATION[out.dtype],
    [code, offsetOf(out), b === null ? 0 : offsetOf(b), offsetOf(out), 0, m, n, alpha],
    { countAt: 5, pointers: [1, 3], unitBytes: n * bytesPerElement(out.dtype), grain: 4 },
    unitsFor(thresholds.minBiasActivationElements, n),
  );
  if (activeTape !== null) {
    const activation = opts.activation ?? 'linear';
    const y = out;
    recordOp(where, y, b === null ? [x, w] : [x, w, b], (dy, needs) => denseGrads(dy, x, w, b, y, activation, alpha, needs));
  }
  return out;
}

/**
 * d x, d w and d b of y = act(x·w + b): dz = dy ⊙ act'(from y) with db = Σ_rows dz in one pass
 * (activationBackward), then dx = dz·wᵀ and dw = xᵀ·dz. act' at a kink is PyTorch's: relu'(0) = 0,
 * leakyRelu'(0) = alpha.
 */
function denseGrads(dy: Tensor, x: Tensor, w: Tensor, b: Tensor | null, y: Tensor, activation: FusedActivation, alpha: number, needs: readonly boolean[]): Array<Tensor | null> {
  const db = b !== null && needs[2] ? emptyTensor(b.shape, b.dtype, 'denseForward()') : undefined;
  const dz = activation === 'linear' && db === undefined ? dy : activationBackward(dy, y, { activation, alpha, biasGrad: db });
  return [
    needs[0] ? matmul(dz, w, { transposeB: true }) : null,
    needs[1] ? matmul(x, dz, { transposeA: true }) : null,
    db ?? null,
  ];
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
  if (activeTape !== null) refuseGrad(where, [dy, y], BACKWARD_OP);
  const [m, n] = y.shape;
  const out = resultTensor(y.shape, y.dtype, opts.out, where);
  let db = 0;
  if (opts.biasGrad !== undefined) {
    checkTensor(opts.biasGrad, 'biasGrad', where);
    checkSameDType(y, opts.biasGrad, where);
    if (opts.biasGrad.size !== n) {
      throw new NnkitError('SHAPE_MISMATCH', `${where}: biasGrad ${formatShape(opts.biasGrad.shape)} must hold ${n} values`);
    }
    checkWritable(opts.biasGrad, where);
    db = offsetOf(opts.biasGrad);
  }
  const kernel = kernels(y.dtype);
  const E = bytesPerElement(y.dtype);
  const args = [code, offsetOf(dy), offsetOf(y), offsetOf(out), db, m, n, n, alpha];
  if (db === 0) {
    // dz alone is per element: split over rows (dy, y and dz move).
    runSplit(
      kernel.activation_backward, ACTIVATION_BACKWARD[y.dtype], args,
      { countAt: 5, pointers: [1, 2, 3], unitBytes: n * E, grain: 4 }, unitsFor(thresholds.minRowElements, n),
    );
  } else {
    // With db, over ranges of columns (dy, y, dz and db move; the row stride stays n): each part
    // computes its columns of dz and sums them from +0 down all rows, in one pass, as one call does.
    runColumnSplit(kernel.activation_backward, ACTIVATION_BACKWARD[y.dtype], args, { countAt: 6, pointers: [1, 2, 3, 4] }, E, m);
  }
  return out;
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
  if (activeTape !== null) checkWritable(y, where);
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
  if (activeTape !== null) refuseGrad('sumSquares()', [x], 'returns a number, through which no gradient flows (use sum(square(x)))');
  return kernels(x.dtype).sum_power(offsetOf(x), x.size, 2);
}

/** Σ |x|, accumulated in float64 (for L1 penalties, without a temporary). */
export function sumAbs(x: Tensor): number {
  checkTensor(x, 'x', 'sumAbs()');
  if (activeTape !== null) refuseGrad('sumAbs()', [x], 'returns a number, through which no gradient flows (use sum(abs(x)))');
  return kernels(x.dtype).sum_power(offsetOf(x), x.size, 1);
}
