// Metrics the training loop accumulates batch by batch ('accuracy'), and user metric functions
// that are evaluated on whole data sets.
import { argMax, describeValue, type Tensor } from '@nnkit/tensor-wasm';
import { fail } from './errors';
import type { Loss, LossTargets } from './losses/index';

/** A metric over a whole data set: (true labels, model outputs) → number, e.g. from @nnkit/metrics. */
export type MetricFunction = ((yTrue: LossTargets, yPred: Tensor) => number) & { metricName?: string };

/** Metrics by name ('accuracy') or as functions (named by `metricName` or the function's name). */
export type Metric = 'accuracy' | MetricFunction;

/** Checks metric specs against the loss; returns them with their names. */
export function resolveMetrics(metrics: unknown, loss: Loss, where: string): { name: string; fn: MetricFunction | null }[] {
  if (metrics === undefined) return [];
  if (!Array.isArray(metrics)) fail('INVALID_ARGUMENT', `${where}: metrics must be an array such as ['accuracy'], got ${describeValue(metrics)}`);
  return metrics.map((m) => {
    if (m === 'accuracy') {
      if (loss.name === 'meanSquaredError') {
        fail('INVALID_ARGUMENT', `${where}: 'accuracy' needs a classification loss (softmaxCrossEntropy or sigmoidCrossEntropy), not meanSquaredError`);
      }
      return { name: 'accuracy', fn: null };
    }
    if (typeof m === 'function') return { name: (m as MetricFunction).metricName ?? (m.name || 'metric'), fn: m as MetricFunction };
    return fail('INVALID_ARGUMENT', `${where}: metric ${JSON.stringify(m)} is not 'accuracy' or a function (yTrue, yPred) => number`);
  });
}

/**
 * Correct predictions in a batch and how many were counted: rows whose arg-max matches the class
 * (softmax), or elements on the right side of 0 (sigmoid logits against targets ≥ 0.5). A custom
 * loss is counted as softmax with more than one output and as sigmoid with one.
 */
export function countCorrect(loss: Loss, pred: Tensor, targets: LossTargets): [number, number] {
  // A custom loss's outputs are read as logits: one output is a sigmoid's, more are a softmax's;
  // its targets are one-hot rows, class ids ([m] or [m, 1]) or 0/1 targets.
  const custom = loss.name === 'custom';
  if (loss.name === 'sigmoidCrossEntropy' || (custom && pred.shape[1] === 1)) {
    const p = pred.toArray();
    const t = (targets as Tensor).toArray();
    let correct = 0;
    for (let i = 0; i < p.length; i++) if (p[i] > 0 === t[i] >= 0.5) correct++;
    return [correct, p.length];
  }
  const predicted = argMax(pred);
  const ids = targets instanceof Int32Array || (custom && (targets.shape.length === 1 || targets.shape[1] === 1));
  const actual = ids ? (targets instanceof Int32Array ? targets : targets.toArray()) : argMax(targets as Tensor);
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === actual[i]) correct++;
  return [correct, predicted.length];
}
