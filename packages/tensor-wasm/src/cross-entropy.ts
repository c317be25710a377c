// Softmax and sigmoid cross-entropy from logits: loss and d loss / d logits in one kernel pass. The
// number forms feed the fused training step; the Tensor forms are differentiable ops whose rule is
// that same kernel's gradient, computed during the forward pass while a gradient is being taken.
// Large calls are split over the worker pool by rows (softmax) or elements (sigmoid), with the
// summed loss the same bits as on one thread (see split-sum.ts).
import { allocate, release } from './allocator';
import { activeTape, recordOp, refuseGrad } from './autodiff/tape';
import { kernelIndexes, kernels, kernelState } from './backend';
import { bytesPerElement } from './dtype';
import { mul } from './elementwise';
import { NnkitError } from './errors';
import { checkSameDType, resultTensor } from './ops-common';
import { unitsFor } from './parallel';
import { thresholds } from './parallel-thresholds';
import { formatShape, sameShape } from './shape';
import { logSoftmax } from './softmax';
import { runSplitSum } from './split-sum';
import { checkTensor, emptyTensor, offsetOf, Tensor } from './tensor';

const SOFTMAX_XENT = kernelIndexes('softmax_xent');
const SIGMOID_XENT = kernelIndexes('sigmoid_xent');

/** Labels of a softmax cross-entropy: one-hot or probability rows [m, k], or m class ids. */
export type CrossEntropyLabels = Tensor | Int32Array | readonly number[];

export interface CrossEntropyOptions {
  /** Receives d(mean loss)/d logits. */
  grad?: Tensor;
}

const NUMBER_FORM = (tensorForm: string) => `returns a number, through which no gradient flows (use ${tensorForm}, which returns a Tensor)`;

function checkGrad(grad: Tensor | undefined, logits: Tensor, where: string): number {
  if (grad === undefined) return 0;
  resultTensor(logits.shape, logits.dtype, grad, where);
  return offsetOf(grad);
}

/** Checks the operands and returns the summed loss; writes (softmax − y)·scale at `grad` when ≠ 0. */
function softmaxXent(where: string, logits: Tensor, labels: CrossEntropyLabels, grad: () => number, scale: (m: number) => number): number {
  checkTensor(logits, 'logits', where);
  if (logits.rank !== 2) throw new NnkitError('INVALID_SHAPE', `${where}: logits must be 2-D [rows, classes], got ${formatShape(logits.shape)}`);
  const [m, k] = logits.shape;
  if (m === 0) throw new NnkitError('INVALID_SHAPE', `${where}: logits ${formatShape(logits.shape)} has no rows`);
  const dtype = logits.dtype;
  const rowBytes = k * bytesPerElement(dtype);
  // Split over rows: logits, labels (rows, or one i32 per row) and grad move with the part's first row.
  const run = (y: number, classIds: boolean, g: number) =>
    runSplitSum(
      kernels(dtype).softmax_xent, SOFTMAX_XENT[dtype], [offsetOf(logits), y, classIds ? 1 : 0, g, m, k, scale(m)],
      { countAt: 4, pointers: [0, 1, 3], unitBytes: [rowBytes, classIds ? 4 : rowBytes, rowBytes], grain: 1 },
      unitsFor(thresholds.softmaxXentElements, k),
    );
  if (labels instanceof Tensor) {
    const y = checkTensor(labels, 'labels', where);
    checkSameDType(logits, y, where);
    if (!sameShape(y.shape, logits.shape)) {
      throw new NnkitError('SHAPE_MISMATCH', `${where}: one-hot labels ${formatShape(y.shape)} must match logits ${formatShape(logits.shape)}`);
    }
    return run(offsetOf(y), false, grad());
  }
  const ids = labels as ArrayLike<number>;
  if (ids.length !== m) throw new NnkitError('SHAPE_MISMATCH', `${where}: ${ids.length} class ids for ${m} rows of logits`);
  for (let i = 0; i < m; i++) {
    const c = ids[i];
    if (!Number.isInteger(c) || c < 0 || c >= k) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: class id ${c} at row ${i} is outside [0, ${k})`);
    }
  }
  const g = grad(); // before the ids' block: it may allocate
  const p = allocate(m * 4);
  try {
    kernelState().i32.set(ids, p / 4);
    return run(p, true, g);
  } finally {
    release(p, m * 4);
  }
}

/**
 * Mean softmax cross-entropy of logits [m, k] against one-hot (or probability) rows [m, k] or
 * integer class ids (length m), computed stably from logits; writes (softmax − y)/m into `grad`.
 *
 * @returns the mean loss over rows
 * @example
 * const loss = softmaxCrossEntropyWithLogits(logits, yOneHot, { grad: dLogits });
 */
export function softmaxCrossEntropyWithLogits(logits: Tensor, labels: CrossEntropyLabels, opts: CrossEntropyOptions = {}): number {
  const where = 'softmaxCrossEntropyWithLogits()';
  const m = checkTensor(logits, 'logits', where).shape[0];
  if (activeTape !== null) refuseGrad(where, labels instanceof Tensor ? [logits, labels] : [logits], NUMBER_FORM('softmaxCrossEntropyLoss()'));
  return softmaxXent(where, logits, labels, () => checkGrad(opts.grad, logits, where), (rows) => 1 / rows) / m;
}

/**
 * The mean softmax cross-entropy over rows as a scalar Tensor (shape []): the differentiable form of
 * {@link softmaxCrossEntropyWithLogits}, for losses written with tensor ops. d loss / d logits is
 * the fused kernel's (softmax − y)/m (probability rows must each sum to 1, as one-hot rows do);
 * d loss / d labels, when labels are a Tensor that depends on the argument, is −logSoftmax(logits)/m.
 *
 * @param logits - [m, k]
 * @param labels - one-hot or probability rows [m, k], or m integer class ids (an array or Int32Array)
 * @example
 * const { value, grad: g } = valueAndGrad((p) => softmaxCrossEntropyLoss(add(matmul(x, p.w), p.b), ids))(params);
 */
export function softmaxCrossEntropyLoss(logits: Tensor, labels: CrossEntropyLabels): Tensor {
  const where = 'softmaxCrossEntropyLoss()';
  const dLogits = gradBuffer(logits, where);
  const total = softmaxXent(where, logits, labels, dLogits.offset, (m) => 1 / m);
  const m = logits.shape[0];
  const out = scalarOf(total / m, logits, where);
  if (activeTape !== null) {
    const inputs = labels instanceof Tensor ? [logits, labels] : [logits];
    const g = dLogits.tensor;
    recordOp(where, out, inputs, (dy, needs) => [
      needs[0] && g !== null ? mul(g, dy) : null,
      needs[1] ? mul(logSoftmax(logits), mul(dy, -1 / m)) : null,
    ]);
  }
  return out;
}

/** Checks the operands and returns the summed loss; writes (σ(z) − t)·scale at `grad` when ≠ 0. */
function sigmoidXent(where: string, logits: Tensor, targets: Tensor, grad: () => number): number {
  checkTensor(logits, 'logits', where);
  checkTensor(targets, 'targets', where);
  checkSameDType(logits, targets, where);
  if (!sameShape(logits.shape, targets.shape)) {
    throw new NnkitError('SHAPE_MISMATCH', `${where}: targets ${formatShape(targets.shape)} must match logits ${formatShape(logits.shape)}`);
  }
  if (logits.size === 0) throw new NnkitError('INVALID_SHAPE', `${where}: logits ${formatShape(logits.shape)} is empty`);
  const n = logits.size;
  const dtype = logits.dtype;
  return runSplitSum(
    kernels(dtype).sigmoid_xent, SIGMOID_XENT[dtype], [offsetOf(logits), offsetOf(targets), grad(), n, 1 / n],
    { countAt: 3, pointers: [0, 1, 2], unitBytes: bytesPerElement(dtype), grain: 64 },
    thresholds.sigmoidXentElements,
  );
}

/**
 * Mean binary cross-entropy of logits against targets in [0, 1] (same shape), stable for any
 * logit; writes (σ(z) − t)/size into `grad`.
 *
 * @returns the mean loss over all elements
 */
export function sigmoidCrossEntropyWithLogits(logits: Tensor, targets: Tensor, opts: CrossEntropyOptions = {}): number {
  const where = 'sigmoidCrossEntropyWithLogits()';
  if (activeTape !== null) refuseGrad(where, [logits, targets], NUMBER_FORM('sigmoidCrossEntropyLoss()'));
  return sigmoidXent(where, logits, targets, () => checkGrad(opts.grad, logits, where)) / logits.size;
}

/**
 * The mean binary cross-entropy over all elements as a scalar Tensor (shape []): the differentiable
 * form of {@link sigmoidCrossEntropyWithLogits}. d loss / d logits is the fused kernel's
 * (σ(z) − t)/size; d loss / d targets, when they depend on the argument, is −z/size.
 *
 * @example
 * const loss = sigmoidCrossEntropyLoss(matmul(x, w), targets);
 */
export function sigmoidCrossEntropyLoss(logits: Tensor, targets: Tensor): Tensor {
  const where = 'sigmoidCrossEntropyLoss()';
  const dLogits = gradBuffer(logits, where);
  const total = sigmoidXent(where, logits, targets, dLogits.offset);
  const n = logits.size;
  const out = scalarOf(total / n, logits, where);
  if (activeTape !== null) {
    const g = dLogits.tensor;
    recordOp(where, out, [logits, targets], (dy, needs) => [
      needs[0] && g !== null ? mul(g, dy) : null,
      needs[1] ? mul(logits, mul(dy, -1 / n)) : null,
    ]);
  }
  return out;
}

/**
 * Where the loss kernel writes d loss / d logits: `offset()` (called after the checks) allocates
 * the tensor only when a gradient with respect to logits is being taken, else returns 0 (no write).
 */
function gradBuffer(logits: Tensor, where: string): { offset: () => number; readonly tensor: Tensor | null } {
  let tensor: Tensor | null = null;
  return {
    offset: () => {
      if (activeTape === null || !activeTape.watched.has(logits)) return 0;
      tensor = emptyTensor(logits.shape, logits.dtype, where);
      return offsetOf(tensor);
    },
    get tensor() {
      return tensor;
    },
  };
}

/** A new scalar tensor (shape []) of logits' dtype holding `value`. */
function scalarOf(value: number, like: Tensor, where: string): Tensor {
  const t = emptyTensor([], like.dtype, where);
  kernels(like.dtype).fill(offsetOf(t), 1, value);
  return t;
}
