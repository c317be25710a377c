// One training step over preallocated buffers, and the diagnosis when it diverges. The step
// checks finiteness before the optimizer runs, so a NaN or Inf never reaches the weights.
import { NnkitError, sumSquares, type Tensor } from '@nnkit/tensor-wasm';
import type { Loss, LossTargets } from './losses/index';
import type { Sequential } from './sequential';
import type { Optimizer } from './types';

/**
 * What a training loop keeps from one step to the next: per layer Σ grad² and the layer outputs of
 * the last step (to name the layer where a NaN appeared). Made once per loop by {@link stepBuffers}.
 */
export interface StepBuffers {
  readonly gradSquares: Float64Array;
  readonly outputs: Tensor[];
}

/** Buffers for the steps of a model with `layers` layers. */
export function stepBuffers(layers: number): StepBuffers {
  return { gradSquares: new Float64Array(layers), outputs: new Array<Tensor>(layers) };
}

/** What one step reports. */
export interface StepResult {
  /** Loss of the batch plus the regularization cost (for m training examples). */
  loss: number;
  /** The model's output buffer of this step. */
  pred: Tensor;
  /** True when the loss and every gradient were finite and the optimizer ran. */
  finite: boolean;
  /** Index of the layer nearest the output whose gradient is not finite, or −1. */
  badLayer: number;
}

/**
 * forward (training) → loss and d loss/d logits → backward → regularizer costs and grads →
 * per-layer Σ grad² (which also catches NaN/Inf) → optimizer step when everything is finite.
 */
export function trainOnBatch(
  model: Sequential, x: Tensor, y: LossTargets, trainingExamples: number, loss: Loss, optimizer: Optimizer, buffers: StepBuffers,
): StepResult {
  const layers = model.layers;
  let pred = x;
  for (let i = 0; i < layers.length; i++) {
    pred = layers[i].forward(pred, { training: true });
    buffers.outputs[i] = pred;
  }
  const grad = model.lossGradBuffer(x.shape[0]);
  const dataLoss = loss.compute(pred, y, grad);
  if (!Number.isFinite(dataLoss)) return { loss: dataLoss, pred, finite: false, badLayer: -1 };
  model.backward(grad);
  let penalty = 0;
  let badLayer = -1;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    penalty += layer.regularizationPenalty(trainingExamples);
    layer.addRegularizationGrad(trainingExamples);
    let s = 0;
    const params = layer.parameters();
    for (let j = 0; j < params.length; j++) s += sumSquares(params[j].grad);
    buffers.gradSquares[i] = s;
    if (!Number.isFinite(s)) badLayer = i;
  }
  const total = dataLoss + penalty;
  const finite = badLayer < 0 && Number.isFinite(total);
  if (finite) optimizer.step(model.parameters());
  return { loss: total, pred, finite, badLayer };
}

function nonFinite(t: Tensor): number | null {
  const v = t.toArray();
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return v[i];
  return null;
}

/**
 * A DIVERGED error naming where the first NaN/Inf appeared: the first layer whose output is not
 * finite, else the loss, else the layer nearest the output whose gradient is not finite.
 */
export function diagnoseDivergence(model: Sequential, result: StepResult, buffers: StepBuffers, where: string, at = ''): NnkitError {
  let cause: string;
  if (!Number.isFinite(result.loss) && result.badLayer < 0) {
    const outputs = buffers.outputs;
    const i = outputs.findIndex((o) => nonFinite(o) !== null);
    cause = i >= 0
      ? `the loss is ${result.loss} because layer '${model.layers[i].name}' output ${nonFinite(outputs[i])}`
      : `the loss is ${result.loss} on finite outputs of layer '${model.layers[model.layers.length - 1].name}' (check the targets and the loss)`;
  } else {
    const layer = model.layers[result.badLayer];
    cause = `the gradient of layer '${layer.name}' is not finite (Σ grad² = ${buffers.gradSquares[result.badLayer]}); the loss was ${result.loss}`;
  }
  return new NnkitError('DIVERGED', `${where}: training diverged${at}: ${cause}. The update was not applied; the model keeps its last finite weights. Try a smaller learning rate.`);
}
