// Softmax cross-entropy from logits: −Σ y·log softmax(z), averaged over the batch, computed as
// logsumexp(z) − Σ y·z so that logits of ±1000 neither overflow nor lose the answer; the gradient
// is the course's dz = (ŷ − y)/m.
import { NnkitError, softmaxCrossEntropyWithLogits, type Tensor, zeros } from '@nnkit/tensor-wasm';
import { shapeText } from '../errors';
import { checkPredictions, type Loss, type LossResult, type LossTargets } from './loss';
import { readTargets } from './targets';

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
 * @param labels - m class ids (an array, or a Tensor [m] / [m, 1]), or one-hot / probability rows
 *   [m, classes] (each row ≥ 0 and summing to 1)
 * @returns `{ loss, grad }`; the caller owns `grad`
 * @example
 * const { loss, grad } = softmaxCrossEntropy(logits, new Int32Array([2, 0, 1]));
 * grad.dispose();
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor | ArrayLike<number>): LossResult {
  const where = 'softmaxCrossEntropy()';
  checkPredictions(logits, where);
  const [m, k] = logits.shape;
  const { targets } = readTargets(labels, 'softmaxCrossEntropy', m, k, logits.dtype, where, 'labels');
  if (m === 0) throw new NnkitError('EMPTY_DATA', `${where}: logits ${shapeText(logits.shape)} hold no examples`);
  const grad = zeros(logits.shape, logits.dtype);
  const loss = softmaxCrossEntropyWithLogits(logits, targets, { grad });
  return { loss, grad };
}
