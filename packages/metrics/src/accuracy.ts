// Accuracy and top-k accuracy: the fraction of examples whose prediction is right.
import { checkOptionKeys, describeValue, NnkitError, Tensor, tensorHint } from '@nnkit/tensor-wasm';
import { checkSameLength, type Labels, PREDICTION_OPTION_KEYS, type PredictionOptions, predictedClassIds, trueClassIds } from './labels';

/**
 * The fraction of examples whose predicted class equals the true class.
 *
 * @param yTrue - class ids, or a one-hot Tensor `[m, k]`
 * @param yPred - class ids, scores `[m, k]` (probabilities or logits: the largest wins), or a single
 *   column of binary scores (thresholded, see {@link PredictionOptions})
 * @param opts - threshold / fromLogits for single-column scores
 * @returns a number in [0, 1]
 * @example
 * accuracy([0, 1, 2, 2], [0, 2, 2, 2]);                       // 0.75
 * accuracy(tensor([1, 0, 1], [3, 1]), tensor([0.9, 0.4, 0.3], [3, 1]));  // 2/3, threshold 0.5
 */
export function accuracy(yTrue: Labels, yPred: Labels, opts: PredictionOptions = {}): number {
  const where = 'accuracy()';
  checkOptionKeys(opts, PREDICTION_OPTION_KEYS, where);
  const t = trueClassIds(yTrue, where);
  const p = predictedClassIds(yPred, where, opts);
  checkSameLength(t, p, where);
  if (t.length === 0) throw new NnkitError('INVALID_ARGUMENT', `${where}: no examples; expected at least one`);
  let right = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) right++;
  return right / t.length;
}

/**
 * The fraction of examples whose true class is among the k highest scores. Ties count in favour of
 * the true class (as `tf.math.in_top_k`): the example is right when fewer than k classes score
 * strictly higher than the true one.
 *
 * @param yTrue - class ids, or a one-hot Tensor `[m, k]`
 * @param yScores - a Tensor `[m, classes]` of scores (probabilities or logits)
 * @param k - how many top classes count (default 5, Keras' default)
 * @returns a number in [0, 1]
 * @example
 * topKAccuracy([2, 0], tensor([0.1, 0.5, 0.4, 0.2, 0.3, 0.5], [2, 3]), 2);  // 0.5
 */
export function topKAccuracy(yTrue: Labels, yScores: Tensor, k = 5): number {
  const where = 'topKAccuracy()';
  if (!(yScores instanceof Tensor) || yScores.rank !== 2) {
    const shape = yScores instanceof Tensor ? `shape [${yScores.shape.join(', ')}]` : `${describeValue(yScores)}${tensorHint(yScores)}`;
    throw new NnkitError('INVALID_SHAPE', `${where}: yScores must be a Tensor [m, classes], got ${shape}`);
  }
  const [m, classes] = yScores.shape;
  if (!Number.isInteger(k) || k < 1) throw new NnkitError('INVALID_ARGUMENT', `${where}: k ${describeValue(k)} must be a positive integer`);
  const t = trueClassIds(yTrue, where);
  if (t.length !== m) {
    throw new NnkitError('SHAPE_MISMATCH', `${where}: yTrue has ${t.length} examples but yScores has ${m} rows; expected the same number`);
  }
  if (m === 0) throw new NnkitError('INVALID_ARGUMENT', `${where}: no examples; expected at least one`);
  const s = yScores.toArray();
  let right = 0;
  for (let r = 0; r < m; r++) {
    const c = t[r];
    if (c >= classes) throw new NnkitError('INVALID_ARGUMENT', `${where}: yTrue[${r}] = ${c} but yScores has ${classes} columns`);
    const own = s[r * classes + c];
    let higher = 0;
    for (let j = 0; j < classes; j++) if (s[r * classes + j] > own) higher++;
    if (higher < k) right++;
  }
  return right / m;
}
