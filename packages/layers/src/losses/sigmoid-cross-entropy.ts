// Binary cross-entropy from logits, max(z, 0) − z·t + log(1 + e^−|z|) averaged over all elements:
// the form that stays finite and exact for logits of ±1000; the gradient is (σ(z) − t)/size.
import { NnkitError, sigmoidCrossEntropyWithLogits, type Tensor, zeros } from '@nnkit/tensor-wasm';
import { shapeText } from '../errors';
import { checkPredictions, type Loss, type LossResult, type LossTargets } from './loss';
import { readTargets } from './targets';

/** The built-in sigmoid cross-entropy, for the model. */
export const sigmoidCrossEntropyLoss: Loss = {
  name: 'sigmoidCrossEntropy',
  acceptsClassIds: false,
  compute(pred: Tensor, targets: LossTargets, grad?: Tensor): number {
    return sigmoidCrossEntropyWithLogits(pred, targets as Tensor, { grad });
  },
};

/**
 * Mean binary cross-entropy of logits against targets in [0, 1], and its gradient.
 *
 * @param logits - [m, outputs], raw scores (no sigmoid applied)
 * @param targets - the same shape, 0/1 labels or probabilities; with one output also a Tensor [m]
 *   or an array of m numbers
 * @returns `{ loss, grad }`; the caller owns `grad`
 * @example
 * const { loss, grad } = sigmoidCrossEntropy(logits, [0, 1, 1]);
 */
export function sigmoidCrossEntropy(logits: Tensor, targets: Tensor | ArrayLike<number>): LossResult {
  const where = 'sigmoidCrossEntropy()';
  checkPredictions(logits, where);
  const [m, outputs] = logits.shape;
  const read = readTargets(targets, 'sigmoidCrossEntropy', m, outputs, logits.dtype, where, 'targets');
  try {
    if (logits.size === 0) throw new NnkitError('EMPTY_DATA', `${where}: logits ${shapeText(logits.shape)} hold no examples`);
    const grad = zeros(logits.shape, logits.dtype);
    const loss = sigmoidCrossEntropyWithLogits(logits, read.targets as Tensor, { grad });
    return { loss, grad };
  } finally {
    read.made?.dispose();
  }
}
