// The training loop, the only one: epochs of mini-batches from a batch source, one step each
// (train-step.ts), callbacks, a clean stop (a callback, the signal, divergence), and per epoch the
// metrics, validation and the history. `fitSteps` yields after every step; `fit` runs it to the end.
import { affine, clone, type NnkitError, type Tensor } from '@nnkit/tensor-wasm';
import { batchSource } from './batch-source';
import { type FitOptions, type FitPlan, prepareFit } from './fit-options';
import { evaluateInBatches } from './inference';
import { countCorrect } from './metrics';
import { EVAL_BATCH_SIZE, type Sequential } from './sequential';
import { diagnoseDivergence, stepBuffers, trainOnBatch } from './train-step';
import type { EpochLogs, Optimizer } from './types';

/** One training step, as `fitSteps` yields it and `onBatchEnd` callbacks receive it. */
export interface FitStep {
  /** The epoch index (0-based; from `initialEpoch` on, as callbacks see it). */
  epoch: number;
  /** The batch's position in its epoch (0-based). */
  batch: number;
  /** Examples in the batch. */
  size: number;
  /** The batch's cost (loss plus regularization) before the update, dropout and augmentation on. */
  loss: number;
  /** Accuracy on the batch as trained (dropout and augmentation on), with the accuracy metric. */
  accuracy?: number;
  /** The learning rate of this update. */
  lr?: number;
  /** Layer name → ‖gradient‖₂ of its parameters in this step. */
  gradientNorms: Record<string, number>;
  /** On the last step of an epoch: the epoch's logs, as `history.epochs` holds them. */
  logs?: EpochLogs;
}

/** What `fit` returns. */
export interface History {
  /** One entry per completed epoch: loss, metrics, validation numbers, learning rate. */
  epochs: EpochLogs[];
  /** Per epoch: layer name → mean over its batches of ‖gradient‖₂ of the layer's parameters. */
  gradientNorms: Record<string, number>[];
  /** True when a callback set `stopTraining` or the signal aborted. */
  stopped: boolean;
}

/** The error `fit()` throws when training diverges: a `DIVERGED` NnkitError carrying the history of the epochs that finished. */
export type DivergedError = NnkitError & { code: 'DIVERGED'; history: History };

function learningRateOf(optimizer: Optimizer): number | undefined {
  const lr = optimizer.learningRate;
  if (typeof lr === 'number') return lr;
  if (typeof lr === 'function') return lr(optimizer.iterations ?? 0);
  return undefined;
}

/** Restores from `snapshot` each live weight that is no longer finite (e.g. batch-norm statistics of a diverged forward pass). */
function restoreNonFinite(live: Tensor[], snapshot: Tensor[]): void {
  live.forEach((w, i) => {
    if (w.toArray().some((v) => !Number.isFinite(v))) w.assign(snapshot[i]);
  });
}

/**
 * The steps of a fit, one per batch, checked and set up on the first `next()`. Leaving the loop
 * early (break, `return()`) ends training there and frees what the run allocated.
 */
export async function* fitSteps(model: Sequential, x: unknown, y: unknown, opts: FitOptions): AsyncGenerator<FitStep, History, undefined> {
  const plan = prepareFit(model, x, y, opts);
  let source: ReturnType<typeof batchSource> | null = null;
  let snapshot: Tensor[] = [];
  try {
    source = batchSource(model, plan);
    const { loss, optimizer, callbacks } = plan;
    const history: History = { epochs: [], gradientNorms: [], stopped: false };
    const live = model.liveWeights();
    // Copies of the weights at the start of each epoch, to repair weights a diverged step made
    // non-finite (batch-norm statistics are updated in the forward pass, before the loss is known).
    snapshot = live.map((w) => clone(w));
    const buffers = stepBuffers(model.layers.length);
    const gradLayers = model.layers.map((l, i) => [l.name!, i] as const).filter(([, i]) => model.layers[i].parameters().length > 0);
    const wantAccuracy = plan.metrics.some((s) => s.name === 'accuracy' && s.fn === null);
    const stopping = () => model.stopTraining || plan.signal?.aborted === true;
    let lastLogs: EpochLogs | undefined;
    model.stopTraining = false;
    for (const c of callbacks) c.setModel?.(model);
    for (const c of callbacks) await c.onTrainBegin?.();
    for (let epoch = plan.initialEpoch; epoch < plan.epochs && !stopping(); epoch++) {
      for (const c of callbacks) await c.onEpochBegin?.(epoch);
      optimizer.setEpoch?.(epoch);
      // The rate this epoch starts with (for per-epoch schedules, the rate of the whole epoch).
      const lr = learningRateOf(optimizer);
      live.forEach((w, i) => {
        affine(w, 1, 0, { out: snapshot[i] });
      });
      let lossSum = 0;
      let correct = 0;
      let counted = 0;
      let seen = 0;
      const normSums = new Float64Array(model.layers.length);
      const batches = source.epoch();
      let next = await batches.next();
      for (let b = 0; !next.done; b++) {
        const { x: xb, y: yb } = next.value;
        const n = xb.shape[0];
        const step: FitStep = { epoch, batch: b, size: n, loss: 0, lr: learningRateOf(optimizer), gradientNorms: {} };
        const result = trainOnBatch(model, xb, yb, plan.trainingExamples ?? source.examples ?? n, loss, optimizer, buffers);
        if (!result.finite) {
          restoreNonFinite(live, snapshot);
          const of = (total: number | undefined) => (total === undefined || !Number.isFinite(total) ? '' : ` of ${total}`);
          const error = diagnoseDivergence(model, result, buffers, 'fit()', ` at epoch ${epoch + 1}${of(plan.epochs)}, batch ${b + 1}${of(source.length)}`);
          await batches.return?.(undefined);
          // The epochs that finished are not lost: the caller can still report them.
          throw Object.assign(error, { history });
        }
        step.loss = result.loss;
        lossSum += result.loss * n;
        seen += n;
        if (wantAccuracy) {
          const [c, k] = countCorrect(loss, result.pred, yb);
          correct += c;
          counted += k;
          step.accuracy = c / k;
        }
        for (const [name, i] of gradLayers) {
          const norm = Math.sqrt(buffers.gradSquares[i]);
          step.gradientNorms[name] = norm;
          normSums[i] += norm;
        }
        for (const c of callbacks) await c.onBatchEnd?.(b, step);
        if (stopping()) {
          await batches.return?.(undefined);
          next = { done: true, value: undefined };
        } else {
          next = await batches.next();
        }
        if (next.done) {
          const logs: EpochLogs = { loss: lossSum / seen };
          if (wantAccuracy) logs.accuracy = correct / counted;
          addEpochMetrics(model, plan, logs, wantAccuracy);
          logs.lr = lr;
          history.epochs.push(logs);
          history.gradientNorms.push(Object.fromEntries(gradLayers.map(([name, i]) => [name, normSums[i] / (b + 1)])));
          if (plan.verbose) console.log(formatLogs(epoch, plan.epochs, logs));
          lastLogs = logs;
          for (const c of callbacks) await c.onEpochEnd?.(epoch, logs);
          step.logs = logs;
        }
        yield step;
      }
    }
    history.stopped = stopping();
    for (const c of callbacks) await c.onTrainEnd?.(lastLogs);
    return history;
  } finally {
    for (const t of snapshot) t.dispose();
    source?.dispose();
    for (const t of plan.made) t.dispose();
  }
}

/** The training loop behind `model.fit`: every step of {@link fitSteps}, then the history. */
export async function fitModel(model: Sequential, x: unknown, y: unknown, opts: FitOptions): Promise<History> {
  const steps = fitSteps(model, x, y, opts);
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
  }
}

/** Metrics of the training set in inference mode (custom metrics, lossWithoutDropout) and of the validation data. */
function addEpochMetrics(model: Sequential, plan: FitPlan, logs: EpochLogs, wantAccuracy: boolean): void {
  const data = plan.data;
  const custom = plan.metrics.filter((s) => s.fn !== null);
  if (data.kind === 'tensors' && (custom.length > 0 || plan.lossWithoutDropout)) {
    const clean = evaluateInBatches(model, data.x, data.y, EVAL_BATCH_SIZE);
    for (const s of custom) logs[s.name] = clean[s.name];
    if (plan.lossWithoutDropout) {
      logs.lossWithoutDropout = clean.loss;
      if (wantAccuracy) logs.accuracyWithoutDropout = clean.accuracy;
    }
  }
  if (plan.validation) {
    const v = evaluateInBatches(model, plan.validation[0], plan.validation[1], EVAL_BATCH_SIZE);
    logs.valLoss = v.loss;
    for (const { name } of plan.metrics) logs[`val${name[0].toUpperCase()}${name.slice(1)}`] = v[name];
  }
}

function formatLogs(epoch: number, epochs: number, logs: EpochLogs): string {
  const parts = Object.entries(logs).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${Number(v).toPrecision(4)}`);
  return `Epoch ${epoch + 1}/${Number.isFinite(epochs) ? epochs : '∞'} – ${parts.join(' – ')}`;
}
