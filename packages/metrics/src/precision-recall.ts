// Precision, recall and F1 per class and averaged (binary, macro, micro, weighted), with the
// definitions of scikit-learn's precision_recall_fscore_support.
import { checkOptionKeys, describeValue, NnkitError } from '@nnkit/tensor-wasm';
import {
  checkSameLength, classCount, columnsOf, type Labels, PREDICTION_OPTION_KEYS, type PredictionOptions, predictedClassIds, trueClassIds,
} from './labels';

/** How per-class scores combine: one class, equal weights, global counts, support weights, or none. */
export type Average = 'binary' | 'macro' | 'micro' | 'weighted' | 'none';

/** Options of {@link precision}, {@link recall} and {@link f1}. */
export interface ClassificationOptions extends PredictionOptions {
  /**
   * 'binary' scores the class `positiveLabel` only; 'macro' is the unweighted mean over classes;
   * 'micro' counts true/false positives over all classes (equal to accuracy for single-label data);
   * 'weighted' weights each class by its support; 'none' returns one score per class id.
   * Default: 'binary' when at most two classes occur, otherwise 'macro'.
   */
  average?: Average;
  /** The class of 'binary' (default 1). */
  positiveLabel?: number;
  /**
   * Number of classes k: averages then run over all ids 0..k−1, even ones that never occur. Without
   * it they run over the ids that occur in yTrue or yPred (scikit-learn's default).
   */
  classes?: number;
  /** The score of a class whose denominator is 0 (no predictions, or no examples). Default 0. */
  zeroDivision?: number;
}

type Kind = 'precision' | 'recall' | 'f1';

interface Counts {
  tp: number[];
  predicted: number[];
  support: number[];
  considered: number[];
}

function counts(yTrue: Labels, yPred: Labels, opts: ClassificationOptions, where: string): Counts {
  const t = trueClassIds(yTrue, where);
  const p = predictedClassIds(yPred, where, opts);
  checkSameLength(t, p, where);
  if (t.length === 0) throw new NnkitError('INVALID_ARGUMENT', `${where}: no examples; expected at least one`);
  const k = classCount(opts.classes, where, [t, p], [columnsOf(yTrue), columnsOf(yPred)]);
  const tp = new Array<number>(k).fill(0);
  const predicted = new Array<number>(k).fill(0);
  const support = new Array<number>(k).fill(0);
  for (let i = 0; i < t.length; i++) {
    support[t[i]]++;
    predicted[p[i]]++;
    if (t[i] === p[i]) tp[t[i]]++;
  }
  const considered: number[] = [];
  for (let c = 0; c < k; c++) if (opts.classes !== undefined || support[c] > 0 || predicted[c] > 0) considered.push(c);
  return { tp, predicted, support, considered };
}

function score(kind: Kind, tp: number, predicted: number, support: number, zeroDivision: number): number {
  const denominator = kind === 'precision' ? predicted : kind === 'recall' ? support : predicted + support;
  if (denominator === 0) return zeroDivision;
  return kind === 'f1' ? (2 * tp) / denominator : tp / denominator;
}

function compute(kind: Kind, yTrue: Labels, yPred: Labels, opts: ClassificationOptions): number | number[] {
  const where = `${kind}()`;
  checkOptionKeys(opts, [...PREDICTION_OPTION_KEYS, 'average', 'positiveLabel', 'classes', 'zeroDivision'], where);
  const { zeroDivision = 0, positiveLabel = 1 } = opts;
  if (typeof zeroDivision !== 'number' || !(zeroDivision >= 0 && zeroDivision <= 1)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: zeroDivision ${describeValue(zeroDivision)} must be a number in [0, 1]`);
  }
  const averages: Average[] = ['binary', 'macro', 'micro', 'weighted', 'none'];
  if (opts.average !== undefined && !averages.includes(opts.average)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: average '${String(opts.average)}' must be one of ${averages.join(', ')}`);
  }
  const c = counts(yTrue, yPred, opts, where);
  const k = c.tp.length;
  const average = opts.average ?? (c.considered.length <= 2 ? 'binary' : 'macro');
  const perClass = c.tp.map((tp, i) => score(kind, tp, c.predicted[i], c.support[i], zeroDivision));
  switch (average) {
    case 'none':
      return perClass;
    case 'binary': {
      if (c.considered.length > 2) {
        throw new NnkitError('INVALID_ARGUMENT', `${where}: average 'binary' needs at most 2 classes, found ${c.considered.length}; use 'macro', 'micro', 'weighted' or 'none'`);
      }
      if (!Number.isInteger(positiveLabel) || positiveLabel < 0) {
        throw new NnkitError('INVALID_ARGUMENT', `${where}: positiveLabel ${describeValue(positiveLabel)} must be a class id (an integer ≥ 0)`);
      }
      // As scikit-learn: with two classes present, the positive one must be one of them.
      if (c.considered.length === 2 && !c.considered.includes(positiveLabel)) {
        throw new NnkitError('INVALID_ARGUMENT', `${where}: positiveLabel ${positiveLabel} is not one of the classes present (${c.considered.join(', ')}); pass positiveLabel or another average`);
      }
      return positiveLabel < k ? perClass[positiveLabel] : zeroDivision;
    }
    case 'macro':
      return c.considered.reduce((s, i) => s + perClass[i], 0) / c.considered.length;
    case 'weighted': {
      const total = c.considered.reduce((s, i) => s + c.support[i], 0);
      if (total === 0) return zeroDivision;
      return c.considered.reduce((s, i) => s + perClass[i] * c.support[i], 0) / total;
    }
    case 'micro': {
      const sum = (a: number[]) => c.considered.reduce((s, i) => s + a[i], 0);
      return score(kind, sum(c.tp), sum(c.predicted), sum(c.support), zeroDivision);
    }
  }
}

/**
 * Precision: of the examples predicted as a class, the fraction that belong to it (tp / (tp + fp)).
 *
 * @param yTrue - class ids, or a one-hot Tensor
 * @param yPred - class ids, score rows, or binary scores
 * @param opts - average (see {@link ClassificationOptions}), positiveLabel, classes, zeroDivision
 * @returns one number, or one per class id with `average: 'none'`
 * @example
 * precision([0, 1, 1, 0], [0, 1, 0, 1]);                        // 0.5 (binary, class 1)
 * precision([0, 1, 2, 2], [0, 2, 2, 2], { average: 'none' });   // [1, 0, 0.666…]
 */
export function precision(yTrue: Labels, yPred: Labels, opts: ClassificationOptions & { average: 'none' }): number[];
export function precision(yTrue: Labels, yPred: Labels, opts?: ClassificationOptions): number;
export function precision(yTrue: Labels, yPred: Labels, opts: ClassificationOptions = {}): number | number[] {
  return compute('precision', yTrue, yPred, opts);
}

/**
 * Recall: of the examples of a class, the fraction predicted as it (tp / (tp + fn)).
 *
 * @param yTrue - class ids, or a one-hot Tensor
 * @param yPred - class ids, score rows, or binary scores
 * @param opts - average (see {@link ClassificationOptions}), positiveLabel, classes, zeroDivision
 * @returns one number, or one per class id with `average: 'none'`
 * @example
 * recall([0, 1, 2, 2], [0, 2, 2, 2], { average: 'macro' });    // (1 + 0 + 1) / 3
 */
export function recall(yTrue: Labels, yPred: Labels, opts: ClassificationOptions & { average: 'none' }): number[];
export function recall(yTrue: Labels, yPred: Labels, opts?: ClassificationOptions): number;
export function recall(yTrue: Labels, yPred: Labels, opts: ClassificationOptions = {}): number | number[] {
  return compute('recall', yTrue, yPred, opts);
}

/**
 * F1: the harmonic mean of precision and recall, 2·tp / (2·tp + fp + fn).
 *
 * @param yTrue - class ids, or a one-hot Tensor
 * @param yPred - class ids, score rows, or binary scores
 * @param opts - average (see {@link ClassificationOptions}), positiveLabel, classes, zeroDivision
 * @returns one number, or one per class id with `average: 'none'`
 * @example
 * f1([0, 1, 2, 2], [0, 2, 2, 2], { average: 'weighted' });
 */
export function f1(yTrue: Labels, yPred: Labels, opts: ClassificationOptions & { average: 'none' }): number[];
export function f1(yTrue: Labels, yPred: Labels, opts?: ClassificationOptions): number;
export function f1(yTrue: Labels, yPred: Labels, opts: ClassificationOptions = {}): number | number[] {
  return compute('f1', yTrue, yPred, opts);
}
