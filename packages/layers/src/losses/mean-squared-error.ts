// Mean squared error over all elements, as Keras and PyTorch define it (for one output, the mean
// over the batch); the gradient is 2(pred − target)/size.
import { affine, NnkitError, sub, type Tensor } from '@nnkit/tensor-wasm';
import { shapeText } from '../errors';
import { checkPredictions, checkTargetTensor, type Loss, type LossResult, type LossTargets } from './loss';

function mse(pred: Tensor, targets: Tensor, grad: Tensor | undefined): number {
  const diff = sub(pred, targets, { out: grad });
  const d = diff.toArray();
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  if (grad) affine(grad, 2 / d.length, 0, { out: grad });
  else diff.dispose();
  return d.length === 0 ? 0 : s / d.length;
}

/** The built-in mean squared error, for the model. */
export const meanSquaredErrorLoss: Loss = {
  name: 'meanSquaredError',
  acceptsClassIds: false,
  compute(pred: Tensor, targets: LossTargets, grad?: Tensor): number {
    return mse(pred, targets as Tensor, grad);
  },
};

/**
 * Mean squared error and its gradient 2(pred − target)/size.
 *
 * @param pred - [m, outputs]
 * @param target - the same shape
 * @returns `{ loss, grad }`; the caller owns `grad`
 * @example
 * const { loss, grad } = meanSquaredError(model.predict(x), y);
 */
export function meanSquaredError(pred: Tensor, target: Tensor): LossResult {
  const where = 'meanSquaredError()';
  checkPredictions(pred, where);
  checkTargetTensor(pred, target, where);
  if (pred.size === 0) throw new NnkitError('EMPTY_DATA', `${where}: predictions ${shapeText(pred.shape)} hold no examples`);
  const grad = sub(pred, target);
  const loss = mse(pred, target, grad);
  return { loss, grad };
}
