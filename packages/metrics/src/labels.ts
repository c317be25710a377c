// Turning what users hand to a metric (class ids, one-hot rows, probabilities, logits) into one
// Int32Array of class ids, so every metric counts the same way.
import { argMax, describeValue, NnkitError, Tensor } from '@nnkit/tensor-wasm';

/**
 * Labels or predictions as a metric accepts them: a plain array (or typed array) of integer class
 * ids, or a Tensor — `[m]` / `[m, 1]` (class ids, or binary scores) or `[m, k]` with k > 1 (one-hot
 * rows, probabilities or logits; the class is the largest entry of each row).
 */
export type Labels = Tensor | ArrayLike<number>;

/** How single-column predictions (binary scores) become class ids. */
export interface PredictionOptions {
  /**
   * Scores above this are class 1. Default 0.5 for probabilities, 0 with `fromLogits`. When neither
   * `threshold` nor `fromLogits` is given, a single column of integers is read as class ids and a
   * column with fractional values as probabilities of class 1.
   */
  threshold?: number;
  /** Single-column scores are logits (σ(z) > 0.5 ⇔ z > 0). Multi-column scores need no flag. */
  fromLogits?: boolean;
}

/** Every key of {@link PredictionOptions}, for the unknown-option check. */
export const PREDICTION_OPTION_KEYS = ['threshold', 'fromLogits'] as const satisfies readonly (keyof PredictionOptions)[];

/** Threshold of a probability of class 1 (Keras' binaryAccuracy default). */
export const DEFAULT_PROBABILITY_THRESHOLD = 0.5;

interface Table {
  values: ArrayLike<number>;
  rows: number;
  cols: number;
}

function tableOf(labels: Labels, where: string, name: string): Table {
  if (labels instanceof Tensor) {
    if (labels.isDisposed) throw new NnkitError('DISPOSED', `${where}: ${name} was used after dispose()`);
    if (labels.rank === 0 || labels.rank > 2) {
      throw new NnkitError('INVALID_SHAPE', `${where}: ${name} has shape [${labels.shape.join(', ')}]; expected [m], [m, 1] or [m, k]`);
    }
    const rows = labels.shape[0];
    return { values: labels.toArray(), rows, cols: labels.rank === 2 ? labels.shape[1] : 1 };
  }
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} must be an array of class ids or a Tensor, got ${describeValue(labels)}`);
  }
  return { values: labels, rows: labels.length, cols: 1 };
}

/** The class of each score row (tensor-wasm's argMax), after naming a NaN in this metric's terms. */
function rowClasses(labels: Labels, t: Table, where: string, name: string): Int32Array {
  for (let i = 0; i < t.values.length; i++) {
    if (Number.isNaN(t.values[i])) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} has NaN at row ${Math.floor(i / t.cols)}, column ${i % t.cols}`);
    }
  }
  return argMax(labels as Tensor);
}

function classIdsOf(t: Table, where: string, name: string): Int32Array {
  const out = new Int32Array(t.rows);
  for (let i = 0; i < t.rows; i++) {
    const v = t.values[i];
    if (!Number.isInteger(v) || v < 0) {
      throw new NnkitError('LABEL_OUT_OF_RANGE', `${where}: ${name}[${i}] = ${v} is not a class id; expected an integer ≥ 0`);
    }
    out[i] = v;
  }
  return out;
}

/** True class ids from labels: class ids, or one-hot / probability rows (argmax). */
export function trueClassIds(yTrue: Labels, where: string): Int32Array {
  const t = tableOf(yTrue, where, 'yTrue');
  return t.cols > 1 ? rowClasses(yTrue, t, where, 'yTrue') : classIdsOf(t, where, 'yTrue');
}

/** Predicted class ids: argmax of score rows, thresholded binary scores, or class ids. */
export function predictedClassIds(yPred: Labels, where: string, opts: PredictionOptions = {}): Int32Array {
  const t = tableOf(yPred, where, 'yPred');
  if (t.cols > 1) return rowClasses(yPred, t, where, 'yPred');
  const { threshold, fromLogits = false } = opts;
  if (threshold !== undefined && (typeof threshold !== 'number' || !Number.isFinite(threshold))) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: threshold ${describeValue(threshold)} must be a finite number`);
  }
  let binary = threshold !== undefined || fromLogits;
  if (!binary) {
    for (let i = 0; i < t.rows; i++) {
      const v = t.values[i];
      if (Number.isNaN(v)) throw new NnkitError('INVALID_ARGUMENT', `${where}: yPred[${i}] is NaN`);
      if (!Number.isInteger(v)) {
        binary = true;
        break;
      }
    }
  }
  if (!binary) return classIdsOf(t, where, 'yPred');
  const cut = threshold ?? (fromLogits ? 0 : DEFAULT_PROBABILITY_THRESHOLD);
  const out = new Int32Array(t.rows);
  for (let i = 0; i < t.rows; i++) {
    const v = t.values[i];
    if (Number.isNaN(v)) throw new NnkitError('INVALID_ARGUMENT', `${where}: yPred[${i}] is NaN`);
    if (!fromLogits && threshold === undefined && (v < 0 || v > 1)) {
      throw new NnkitError(
        'INVALID_ARGUMENT',
        `${where}: yPred[${i}] = ${v} is neither a class id nor a probability in [0, 1]; pass { fromLogits: true } for logits`,
      );
    }
    out[i] = v > cut ? 1 : 0;
  }
  return out;
}

/** Throws unless both label sets have the same number of examples. */
export function checkSameLength(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, where: string): void {
  if (yTrue.length !== yPred.length) {
    throw new NnkitError(
      'SHAPE_MISMATCH',
      `${where}: yTrue has ${yTrue.length} examples but yPred has ${yPred.length}; expected the same number`,
    );
  }
}

/** The number of columns of a Tensor of scores, or undefined for class ids. */
export function columnsOf(labels: Labels): number | undefined {
  return labels instanceof Tensor && labels.rank === 2 && labels.shape[1] > 1 ? labels.shape[1] : undefined;
}

/** Number of classes: given, or the widest score rows, or the largest id + 1. */
export function classCount(
  given: number | undefined,
  where: string,
  ids: readonly Int32Array[],
  widths: readonly (number | undefined)[],
): number {
  let needed = 0;
  for (const a of ids) for (let i = 0; i < a.length; i++) if (a[i] + 1 > needed) needed = a[i] + 1;
  if (given !== undefined) {
    if (!Number.isInteger(given) || given < 1) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: classes ${describeValue(given)} must be a positive integer`);
    }
    if (needed > given) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: found class id ${needed - 1}, but classes is ${given}; expected ids in [0, ${given})`);
    }
    return given;
  }
  for (const w of widths) if (w !== undefined && w > needed) needed = w;
  return Math.max(needed, 1);
}
