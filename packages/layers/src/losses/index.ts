// The loss registry: names to built-in losses.
import { fail } from '../errors';
import { customLoss } from './custom-loss';
import type { Loss, LossFunction, LossName } from './loss';
import { meanSquaredErrorLoss } from './mean-squared-error';
import { sigmoidCrossEntropyLoss } from './sigmoid-cross-entropy';
import { softmaxCrossEntropyLoss } from './softmax-cross-entropy';

const LOSSES: Record<LossName, Loss> = {
  softmaxCrossEntropy: softmaxCrossEntropyLoss,
  sigmoidCrossEntropy: sigmoidCrossEntropyLoss,
  meanSquaredError: meanSquaredErrorLoss,
};

/** The built-in loss called `name`, or a loss function `(yTrue, yPred) => scalar Tensor`. */
export function resolveLoss(name: unknown, where: string): Loss {
  if (typeof name === 'string' && Object.hasOwn(LOSSES, name)) return LOSSES[name as LossName];
  if (typeof name === 'function') return customLoss(name as LossFunction, where);
  return fail('INVALID_ARGUMENT', `${where}: loss ${JSON.stringify(name)} is not one of ${Object.keys(LOSSES).join(', ')} or a function (yTrue, yPred) => scalar Tensor`);
}

export { softmaxCrossEntropy } from './softmax-cross-entropy';
export { checkClassIds, DISTRIBUTION_TOLERANCE, readTargets } from './targets';
export type { ReadTargets } from './targets';
export { sigmoidCrossEntropy } from './sigmoid-cross-entropy';
export { meanSquaredError } from './mean-squared-error';
export type { Loss, LossFunction, LossName, LossResult, LossTargets } from './loss';
export { readCustomTargets } from './custom-loss';
