// What the model needs from a loss: a name, a check of the targets against the predictions'
// shape (run once per data set, before any weight changes), and one pass that returns the mean
// loss and writes d loss / d prediction into a preallocated buffer.
import type { Tensor } from '@nnkit/tensor-wasm';
import { fail, shapeText } from '../errors';

/** Names of the built-in losses (all computed from logits / raw outputs). */
export type LossName = 'softmaxCrossEntropy' | 'sigmoidCrossEntropy' | 'meanSquaredError';

/**
 * A loss written with tensor ops, in Keras's order: `yTrue` is the y given to fit (a Tensor as
 * given; a plain array becomes a Tensor of the model's dtype), `yPred` the model's output (logits
 * for a final dense layer). It returns a scalar Tensor: the mean over the batch's rows.
 */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Targets after validation: a Tensor shaped like the predictions, or class ids. */
export type LossTargets = Tensor | Int32Array;

/** A loss the model can train with. */
export interface Loss {
  /** The built-in loss's name, or 'custom' for a {@link LossFunction}. */
  readonly name: LossName | 'custom';
  /** The function of a custom loss. */
  readonly fn?: LossFunction;
  /** Whether integer class ids are accepted as targets (softmax cross-entropy only). */
  readonly acceptsClassIds: boolean;
  /** The mean loss; with `grad`, also writes d loss / d pred into it. */
  compute(pred: Tensor, targets: LossTargets, grad?: Tensor): number;
}

/** Returned by the functional losses. */
export interface LossResult {
  /** The mean loss. */
  loss: number;
  /** d loss / d input, a new tensor the caller owns. */
  grad: Tensor;
}

/** Throws unless `targets` is a tensor of exactly the predictions' shape and dtype. */
export function checkTargetTensor(pred: Tensor, targets: unknown, where: string): Tensor {
  const t = targets as Tensor;
  if (!t || typeof t !== 'object' || !('shape' in t) || typeof t.toArray !== 'function') {
    fail('INVALID_ARGUMENT', `${where}: targets must be a Tensor of shape ${shapeText(pred.shape)}, got ${String(targets)}`);
  }
  if (t.shape.join() !== pred.shape.join()) {
    fail('SHAPE_MISMATCH', `${where}: targets of shape ${shapeText(t.shape)} do not match predictions of shape ${shapeText(pred.shape)}`);
  }
  if (t.dtype !== pred.dtype) {
    fail('DTYPE_MISMATCH', `${where}: targets are ${t.dtype} but predictions are ${pred.dtype}`);
  }
  return t;
}

/** Throws unless `pred` is 2-D. */
export function checkPredictions(pred: Tensor, where: string): void {
  if (!pred || typeof pred !== 'object' || !Array.isArray(pred.shape) || pred.shape.length !== 2) {
    fail('INVALID_SHAPE', `${where}: expected 2-D predictions [examples, outputs], got ${pred && Array.isArray(pred.shape) ? shapeText(pred.shape) : String(pred)}`);
  }
}
