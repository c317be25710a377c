// Softmax cross-entropy from logits: −Σ y·log softmax(z), averaged over the batch, computed as
// logsumexp(z) − Σ y·z so that logits of ±1000 neither overflow nor lose the answer; the gradient
// is the course's dz = (ŷ − y)/m.
import { NnkitError, type Tensor, zeros } from '@nnkit/tensor-wasm';
import { fail, shapeText } from '../errors';
import { softmaxCrossEntropyWithLogits } from '../kernels';
import { checkPredictions, checkTargetTensor, type Loss, type LossResult, type LossTargets } from './loss';

/** Class ids as an Int32Array after checking each is an integer in [0, classes). */
export function checkClassIds(labels: ArrayLike<number>, rows: number, classes: number, where: string): Int32Array {
  if (labels.length !== rows) {
    fail('SHAPE_MISMATCH', `${where}: got ${labels.length} class ids for ${rows} examples`);
  }
  const ids = labels instanceof Int32Array ? labels : new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      fail('LABEL_OUT_OF_RANGE', `${where}: label ${String(c)} at index ${i} is not a class id in [0, ${classes - 1}]`);
    }
    ids[i] = c;
  }
  return ids;
}

/** The built-in softmax cross-entropy, for the model. */
export const softmaxCrossEntropyLoss: Loss = {
  name: 'softmaxCrossEntropy',
  acceptsClassIds: true,
  compute(pred: Tensor, targets: LossTargets, grad?: Tensor): number {
    return softmaxCrossEntropyWithLogits(pred, targets, { grad });
  },
};

/**
 * Mean softmax cross-entropy of logits against one-hot rows or class ids, and its gradient
 * (softmax(logits) − y)/m.
 *
 * @param logits - [m, classes], raw scores (no softmax applied)
 * @param labels - one-hot (or probability) rows [m, classes], or m integer class ids
 * @returns `{ loss, grad }`; the caller owns `grad`
 * @example
 * const { loss, grad } = softmaxCrossEntropy(logits, new Int32Array([2, 0, 1]));
 * grad.dispose();
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor | ArrayLike<number>): LossResult {
  const where = 'softmaxCrossEntropy()';
  checkPredictions(logits, where);
  const [m, k] = logits.shape;
  const targets = isTensorLike(labels) ? checkTargetTensor(logits, labels, where) : checkClassIds(labels, m, k, where);
  if (m === 0) throw new NnkitError('EMPTY_DATA', `${where}: logits ${shapeText(logits.shape)} hold no examples`);
  const grad = zeros(logits.shape, logits.dtype);
  const loss = softmaxCrossEntropyWithLogits(logits, targets, { grad });
  return { loss, grad };
}

function isTensorLike(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && 'shape' in v && typeof (v as Tensor).toArray === 'function';
}
