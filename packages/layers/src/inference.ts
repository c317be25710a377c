// Inference over a data set in row views of `batchSize` examples: predictions copied out into a
// new tensor, and the loss (plus regularization) and metrics of evaluate().
import { Tensor, tensor } from '@nnkit/tensor-wasm';
import type { LossTargets } from './losses/index';
import { countCorrect } from './metrics';
import type { Sequential } from './sequential';

/** The model's outputs for every row of x, as a new tensor the caller owns. */
export function predictInBatches(model: Sequential, x: Tensor, batchSize: number): Tensor {
  const m = x.shape[0];
  const units = model.outputShape[0];
  const out = new Float64Array(m * units);
  for (let start = 0; start < m; start += batchSize) {
    const rows = x.rows(start, Math.min(m, start + batchSize));
    out.set(model.forward(rows, { training: false }).toArray(), start * units);
    rows.dispose();
  }
  return tensor(out, [m, units], model.dtype);
}

/**
 * Mean loss over the rows plus the regularization cost for m = rows, 'accuracy' counted batch by
 * batch, and metric functions on the whole set's predictions.
 */
export function evaluateInBatches(model: Sequential, x: Tensor, targets: LossTargets, batchSize: number): { loss: number; [metric: string]: number } {
  const loss = model.loss!;
  const metrics = model.metricFunctions;
  const m = x.shape[0];
  let total = 0;
  let correct = 0;
  let counted = 0;
  const wantAccuracy = metrics.some((mt) => mt.name === 'accuracy' && mt.fn === null);
  for (let start = 0; start < m; start += batchSize) {
    const end = Math.min(m, start + batchSize);
    const xb = x.rows(start, end);
    const yb = targets instanceof Int32Array ? targets.subarray(start, end) : targets.rows(start, end);
    const pred = model.forward(xb, { training: false });
    total += loss.compute(pred, yb) * (end - start);
    if (wantAccuracy) {
      const [c, n] = countCorrect(loss, pred, yb);
      correct += c;
      counted += n;
    }
    xb.dispose();
    if (yb instanceof Tensor) yb.dispose();
  }
  const result: { loss: number; [metric: string]: number } = { loss: total / m + model.regularizationPenalty(m) };
  for (const metric of metrics) {
    if (metric.fn === null) {
      result[metric.name] = correct / counted;
      continue;
    }
    const pred = predictInBatches(model, x, batchSize);
    try {
      result[metric.name] = metric.fn(targets, pred);
    } finally {
      pred.dispose();
    }
  }
  return result;
}
