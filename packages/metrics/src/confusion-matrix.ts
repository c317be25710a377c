// The confusion matrix (rows = true class, columns = predicted class) and a text rendering of it.
import { checkOptionKeys, NnkitError } from '@nnkit/tensor-wasm';
import {
  checkSameLength, classCount, columnsOf, type Labels, PREDICTION_OPTION_KEYS, type PredictionOptions, predictedClassIds, trueClassIds,
} from './labels';

/** Options of {@link confusionMatrix}. */
export interface ConfusionMatrixOptions extends PredictionOptions {
  /** Number of classes k (ids 0..k−1); default: the largest id seen + 1, or the score columns. */
  classes?: number;
}

/**
 * Counts of (true class, predicted class) pairs: `matrix[i][j]` is the number of examples of class i
 * predicted as j (scikit-learn's convention; the diagonal holds the correct predictions).
 *
 * @param yTrue - class ids, or a one-hot Tensor
 * @param yPred - class ids, score rows, or binary scores
 * @param opts - classes, threshold / fromLogits
 * @returns a k×k array of counts
 * @example
 * confusionMatrix([0, 1, 2, 2], [0, 2, 2, 1]);  // [[1, 0, 0], [0, 0, 1], [0, 1, 1]]
 */
export function confusionMatrix(yTrue: Labels, yPred: Labels, opts: ConfusionMatrixOptions = {}): number[][] {
  const where = 'confusionMatrix()';
  checkOptionKeys(opts, [...PREDICTION_OPTION_KEYS, 'classes'], where);
  const t = trueClassIds(yTrue, where);
  const p = predictedClassIds(yPred, where, opts);
  checkSameLength(t, p, where);
  const k = classCount(opts.classes, where, [t, p], [columnsOf(yTrue), columnsOf(yPred)]);
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) matrix[t[i]][p[i]]++;
  return matrix;
}

/** Options of {@link formatConfusionMatrix}. */
export interface FormatConfusionMatrixOptions {
  /** Names of the classes in id order (default: the ids). */
  labels?: readonly string[];
}

/**
 * A readable table of a confusion matrix: a header of predicted classes, one row per true class,
 * right-aligned counts.
 *
 * @param matrix - a square matrix from {@link confusionMatrix}
 * @param opts - class names
 * @returns the table, lines joined with '\n'
 * @example
 * console.log(formatConfusionMatrix(confusionMatrix(yTrue, yPred), { labels: ['cat', 'dog'] }));
 * // true\pred  cat  dog
 * //       cat    5    1
 * //       dog    2    7
 */
export function formatConfusionMatrix(matrix: readonly (readonly number[])[], opts: FormatConfusionMatrixOptions = {}): string {
  const where = 'formatConfusionMatrix()';
  checkOptionKeys(opts, ['labels'], where);
  const k = matrix.length;
  if (!Array.isArray(matrix) || k === 0 || matrix.some((row) => !Array.isArray(row) || row.length !== k)) {
    throw new NnkitError('INVALID_SHAPE', `${where}: expected a non-empty square matrix, got ${k} rows of lengths [${matrix.map((r) => r?.length).join(', ')}]`);
  }
  const labels = opts.labels ?? matrix.map((_, i) => String(i));
  if (labels.length !== k) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${labels.length} labels for a ${k}×${k} matrix; expected ${k}`);
  }
  const corner = 'true\\pred';
  const first = Math.max(corner.length, ...labels.map((l) => l.length));
  const widths = labels.map((l, j) => Math.max(l.length, ...matrix.map((row) => String(row[j]).length)));
  const line = (head: string, cells: string[]) => [head.padStart(first), ...cells.map((c, j) => c.padStart(widths[j]))].join('  ');
  return [line(corner, [...labels]), ...matrix.map((row, i) => line(labels[i], row.map(String)))].join('\n');
}
