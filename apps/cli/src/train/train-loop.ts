// The training loop of `nnkit train` and `nnkit tune`: shuffled mini-batches of raw inputs (so that
// augmentation sees images, not standardized values), normalized into one reused buffer, one
// `trainStep` each, the schedule told the epoch, dev evaluation after every epoch, early stopping
// with the best weights restored, and a clean stop on divergence that keeps the finished epochs.
import { batches } from '@nnkit/data';
import type { Sequential } from '@nnkit/layers';
import { earlyStopping } from '@nnkit/regularizers';
import { NnkitError, type Rng, type Tensor, zeros } from '@nnkit/tensor-wasm';
import type { Part } from '../data/prepare';
import type { Normalizer } from '../data/normalize';

/** The numbers of one finished epoch. */
export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  /** Mean training cost over the epoch's batches (with dropout and augmentation, plus L2). */
  loss: number;
  /** Accuracy on the training batches as they were trained on. */
  accuracy: number;
  devLoss: number;
  devAccuracy: number;
  /** The learning rate of the epoch. */
  lr: number;
  seconds: number;
  samplesPerSecond: number;
}

/** Live progress inside an epoch. */
export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  lr: number;
  samplesPerSecond: number;
}

/** What {@link trainLoop} returns. */
export interface TrainResult {
  epochs: EpochRecord[];
  /** True when early stopping ended training before the last epoch. */
  stoppedEarly: boolean;
  /** 1-based epoch whose weights the model holds at the end (the best dev loss with early stopping). */
  keptEpoch: number;
  /** The divergence message when training stopped on NaN/Inf. */
  diverged: string | null;
  seconds: number;
}

/** Anything that changes a batch of raw inputs in place (an augmentation of @nnkit/regularizers). */
export interface BatchAugmentation {
  apply(x: Tensor, rng: Rng): void;
}

/** Options of {@link trainLoop}. */
export interface TrainLoopOptions {
  epochs: number;
  batchSize: number;
  /** Seed of the batch order and augmentation. */
  seed: number;
  /** Epochs without a better dev loss before stopping (0 = never stop early). */
  patience: number;
  normalizer: Normalizer;
  augment?: BatchAugmentation;
  /** The optimizer, told the epoch for per-epoch schedules. */
  optimizer: { setEpoch?(epoch: number): void; learningRate: number | ((t: number) => number); iterations?: number };
  onProgress?(p: BatchProgress): void;
  onEpochEnd?(r: EpochRecord): void;
}

/** Progress callbacks at most this often (ms), so redrawing costs nothing measurable. */
const PROGRESS_INTERVAL_MS = 80;

function currentRate(o: TrainLoopOptions['optimizer']): number {
  return typeof o.learningRate === 'number' ? o.learningRate : o.learningRate(o.iterations ?? 0);
}

/** Counts rows whose largest logit (or, for one output, logit > 0) is the true class. */
function countCorrect(logits: Tensor, labels: Int32Array, indices: Int32Array): number {
  const v = logits.toArray();
  const k = logits.shape[1];
  let correct = 0;
  for (let r = 0; r < indices.length; r++) {
    let best = 0;
    if (k === 1) best = v[r] > 0 ? 1 : 0;
    else for (let c = 1; c < k; c++) if (v[r * k + c] > v[r * k + best]) best = c;
    if (best === labels[indices[r]]) correct++;
  }
  return correct;
}

/**
 * Trains a compiled model.
 *
 * @param model - compiled with a loss, the optimizer in `opts.optimizer` and the 'accuracy' metric
 * @param data - the training and dev parts of a split
 * @param opts - epochs, batch size, seed, patience, normalizer, augmentation, callbacks
 * @returns the epochs done, and why training ended
 */
export async function trainLoop(model: Sequential, data: { train: Part; dev: Part }, opts: TrainLoopOptions): Promise<TrainResult> {
  const { train, dev } = data;
  const m = train.raw.shape[0];
  const batchSize = Math.min(opts.batchSize, m);
  // A last batch of one example cannot be batch-normalized; dropping it skips one random example per epoch.
  const dropRemainder = m % batchSize === 1;
  const source = batches(train.raw, train.y, { batchSize, seed: opts.seed, dropRemainder, augment: opts.augment });
  const buffer = zeros([batchSize, train.raw.shape[1]], model.dtype);
  const stopper = opts.patience > 0 ? earlyStopping({ monitor: 'valLoss', patience: opts.patience, restoreBestWeights: true }) : null;
  const records: EpochRecord[] = [];
  let diverged: string | null = null;
  const started = performance.now();
  stopper?.setModel?.(model);
  await stopper?.onTrainBegin?.();
  try {
    for (let epoch = 0; epoch < opts.epochs && !model.stopTraining; epoch++) {
      opts.optimizer.setEpoch?.(epoch);
      const lr = currentRate(opts.optimizer);
      const t0 = performance.now();
      let lastDraw = t0;
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (const batch of source) {
        const n = batch.x.shape[0];
        const xb = opts.normalizer.apply(batch.x, n === batchSize ? buffer : buffer.rows(0, n));
        lossSum += model.trainStep(xb, batch.y, { trainingExamples: m }) * n;
        correct += countCorrect(model.lastOutputs[model.lastOutputs.length - 1], train.labels, batch.indices);
        seen += n;
        const now = performance.now();
        if (opts.onProgress && now - lastDraw > PROGRESS_INTERVAL_MS) {
          lastDraw = now;
          opts.onProgress({ epoch: epoch + 1, batch: batch.index + 1, batches: source.length, loss: lossSum / seen, accuracy: correct / seen, lr, samplesPerSecond: seen / ((now - t0) / 1000) });
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      const devResult = model.evaluate(dev.x, dev.y);
      const record: EpochRecord = {
        epoch: epoch + 1, loss: lossSum / seen, accuracy: correct / seen, devLoss: devResult.loss, devAccuracy: devResult.accuracy,
        lr, seconds, samplesPerSecond: seen / seconds,
      };
      records.push(record);
      opts.onEpochEnd?.(record);
      await stopper?.onEpochEnd?.(epoch, { loss: record.loss, accuracy: record.accuracy, valLoss: record.devLoss, valAccuracy: record.devAccuracy, lr });
    }
  } catch (e) {
    if (!(e instanceof NnkitError && e.code === 'DIVERGED')) throw e;
    diverged = e.message;
  } finally {
    buffer.dispose();
  }
  const stoppedEarly = model.stopTraining;
  model.stopTraining = false;
  // Restores the best epoch's weights; after a divergence the model keeps its last finite weights instead.
  if (!diverged) await stopper?.onTrainEnd?.();
  const keptEpoch = stopper && !diverged && records.length > 0 ? stopper.bestEpoch + 1 : records.length;
  return { epochs: records, stoppedEarly, keptEpoch, diverged, seconds: (performance.now() - started) / 1000 };
}
