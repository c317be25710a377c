// Targets in every form @nnkit/data and @nnkit/metrics produce, read once per call of fit, evaluate,
// trainStep or a loss function and turned into the two forms the loss kernels take: class ids
// (Int32Array) or a Tensor shaped like the predictions. Their values are checked here too, because
// the kernels would train on anything: a sigmoid target outside [0, 1] or a softmax target row that
// is not a distribution gives a loss whose gradient the kernel does not compute.
import { countNonFinite, describeValue, type DType, Tensor, tensor } from '@nnkit/tensor-wasm';
import { fail, shapeText } from '../errors';
import type { LossName, LossTargets } from './loss';

/**
 * How far a softmax target row may sum from 1. The fused kernel writes the gradient softmax − y,
 * which is the gradient of the loss only when Σy = 1 (otherwise it is off by (1 − Σy)·softmax), so
 * this bounds that error at 0.1% of the softmax. It is far above rounding: a float32 softmax or
 * normalization of k classes sums to 1 within about k·2⁻²⁴ (6e-5 for 1,000 classes), and rows
 * written with three decimals ([0.333, 0.333, 0.334]) pass.
 */
export const DISTRIBUTION_TOLERANCE = 1e-3;

/** Targets after reading. */
export interface ReadTargets {
  targets: LossTargets;
  /** A tensor made from a plain array (when no buffer was given); the caller disposes it. */
  made: Tensor | null;
}

/** Class ids as an Int32Array after checking each is an integer in [0, classes). */
export function checkClassIds(labels: ArrayLike<number>, rows: number, classes: number, where: string, hint = ''): Int32Array {
  if (labels.length !== rows) {
    fail('SHAPE_MISMATCH', `${where}: got ${labels.length} class ids for ${rows} examples`);
  }
  const ids = labels instanceof Int32Array ? labels : new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      fail('LABEL_OUT_OF_RANGE', `${where}: label ${describeValue(c)} at index ${i} is not a class id in [0, ${classes - 1}]${hint}`);
    }
    ids[i] = c;
  }
  return ids;
}

function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor;
}

function isArrayLike(v: unknown): v is ArrayLike<number> {
  return v !== null && typeof v === 'object' && typeof (v as ArrayLike<number>).length === 'number';
}

/** Throws NON_FINITE at the first NaN or ±Inf of row-major `values` with `cols` columns. */
function checkFinite(values: ArrayLike<number>, cols: number, label: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') fail('INVALID_ARGUMENT', `${label}[${i}] is ${describeValue(v)}; expected a number`);
    if (!Number.isFinite(v)) fail('NON_FINITE', `${label} has ${v} at row ${Math.floor(i / cols)}, column ${i % cols}; expected finite numbers`);
  }
}

/** Sigmoid cross-entropy's targets: each in [0, 1]. */
function checkProbabilities(values: ArrayLike<number>, cols: number, label: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= 0 && v <= 1)) {
      fail('LABEL_OUT_OF_RANGE', `${label} has ${v} at row ${Math.floor(i / cols)}, column ${i % cols}; sigmoidCrossEntropy needs targets in [0, 1] (0/1 labels or probabilities)`);
    }
  }
}

/** Softmax cross-entropy's target rows: entries ≥ 0 summing to 1 within DISTRIBUTION_TOLERANCE. */
function checkDistributions(values: ArrayLike<number>, cols: number, label: string): void {
  const hint = cols === 1
    ? '; a softmax over one output always predicts 1: use sigmoidCrossEntropy for one output'
    : '; pass class ids as an array or a Tensor [m] / [m, 1] instead';
  for (let r = 0; r * cols < values.length; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      if (v < 0) fail('LABEL_OUT_OF_RANGE', `${label} has ${v} at row ${r}, column ${c}; softmaxCrossEntropy needs one-hot or probability rows (entries ≥ 0, each row summing to 1)${hint}`);
      s += v;
    }
    if (Math.abs(s - 1) > DISTRIBUTION_TOLERANCE) {
      fail('LABEL_OUT_OF_RANGE', `${label}: row ${r} sums to ${s}; softmaxCrossEntropy needs one-hot or probability rows summing to 1 (within ${DISTRIBUTION_TOLERANCE})${hint}`);
    }
  }
}

function expectedForms(loss: LossName, m: number, outputs: number): string {
  if (loss === 'softmaxCrossEntropy') return `${m} class ids (an array, or a Tensor [${m}] or [${m}, 1]), or one-hot / probability rows [${m}, ${outputs}]`;
  return outputs === 1 ? `a Tensor [${m}, 1] or [${m}], or an array of ${m} numbers` : `a Tensor [${m}, ${outputs}]`;
}

/**
 * Reads targets for m examples and a model with `outputs` outputs:
 * - softmaxCrossEntropy: class ids as an array or a Tensor [m] / [m, 1], or one-hot / probability
 *   rows [m, outputs] (each row ≥ 0 and summing to 1);
 * - sigmoidCrossEntropy: a Tensor [m, outputs], and with one output also a Tensor [m] or an array
 *   of m numbers, every value in [0, 1];
 * - meanSquaredError: the same forms as sigmoid, any finite values.
 *
 * @param into - a buffer for a plain array's values (so that a training step allocates nothing);
 *   without it a new tensor is made and returned as `made`
 * @returns the targets in kernel form, and the tensor made for them, if any
 */
export function readTargets(
  y: unknown, loss: LossName, m: number, outputs: number, dtype: DType, where: string, name: string, into?: (rows: number) => Tensor,
): ReadTargets {
  const label = `${where}: ${name}`;
  const classes = loss === 'softmaxCrossEntropy';
  if (isTensor(y)) {
    if (y.isDisposed) fail('DISPOSED', `${label} (tensor #${y.id} of shape ${shapeText(y.shape)}) was used after dispose()`);
    const column = y.shape.length === 1 ? y.shape[0] === m : y.shape.length === 2 && y.shape[0] === m && y.shape[1] === 1;
    if (classes && outputs > 1 && column) {
      const hint = '; a Tensor [m] or [m, 1] is read as class ids for softmaxCrossEntropy (for probabilities of class 1, use one output and sigmoidCrossEntropy)';
      return { targets: checkClassIds(y.toArray(), m, outputs, label, hint), made: null };
    }
    const flat = !classes && outputs === 1 && y.shape.length === 1 && y.shape[0] === m;
    const shape = flat ? [m, 1] : y.shape;
    if (shape.length !== 2 || shape[0] !== m || shape[1] !== outputs) {
      fail('SHAPE_MISMATCH', `${label} of shape ${shapeText(y.shape)} does not fit ${m} examples and ${outputs} outputs; expected ${expectedForms(loss, m, outputs)}`);
    }
    if (y.dtype !== dtype) fail('DTYPE_MISMATCH', `${label} is ${y.dtype} but the model is ${dtype}; convert it with cast(${name}, '${dtype}')`);
    // The kernel counts NaN/Inf at memory speed; only data holding one is searched for where.
    if (countNonFinite(y) > 0) checkFinite(y.toArray(), outputs, label);
    if (loss !== 'meanSquaredError') {
      const values = y.toArray();
      if (classes) checkDistributions(values, outputs, label);
      else checkProbabilities(values, outputs, label);
    }
    // A [m] tensor is seen as [m, 1]: in a reused buffer for a training step (no new Tensor object
    // per step), else as a view (no copy).
    if (!flat) return { targets: y, made: null };
    return { targets: into ? into(m).assign(y) : y.reshape([m, 1]), made: null };
  }
  if (!isArrayLike(y)) {
    return fail('INVALID_ARGUMENT', `${label} must be ${expectedForms(loss, m, outputs)}; got ${y === null ? 'null' : typeof y === 'string' ? `the string '${y}'` : typeof y}`);
  }
  if (classes) return { targets: checkClassIds(y, m, outputs, label), made: null };
  if (outputs !== 1) {
    fail('INVALID_ARGUMENT', `${label}: a plain array serves one output; this model has ${outputs}, so pass a Tensor [${m}, ${outputs}], e.g. tensor(values, [${m}, ${outputs}]) with the values flat and row-major`);
  }
  if (y.length !== m) fail('SHAPE_MISMATCH', `${label}: got ${y.length} targets for ${m} examples`);
  checkFinite(y, 1, label);
  if (loss === 'sigmoidCrossEntropy') checkProbabilities(y, 1, label);
  if (into) return { targets: into(m).assign(y), made: null };
  const made = tensor(y, [m, 1], dtype);
  return { targets: made, made };
}
