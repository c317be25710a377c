// Training for `nnkit train` and `nnkit tune` through the one training loop, layers' `fit`: seeded
// mini-batches of the normalized training set, augmentation of the raw images as fit's batch
// transform, the schedule told the epoch, dev evaluation after every epoch, the training set
// evaluated with dropout off, early stopping with the best weights restored, live progress from
// fit's callbacks, and a clean stop on divergence that keeps the finished epochs.
import type { Callback, FitStep, Sequential } from '@nnkit/layers';
import { earlyStopping } from '@nnkit/regularizers';
import { NnkitError } from '@nnkit/tensor-wasm';
import type { Part } from '../data/prepare';
import type { Normalizer } from '../data/normalize';
import { type Augmentation, RawAugmentation } from './raw-augmentation';

/** The numbers of one finished epoch. */
export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  /** Mean cost over the epoch's mini-batches as trained (dropout and augmentation on, plus L2). */
  loss: number;
  /** Accuracy on the mini-batches as they were trained on (dropout and augmentation on). */
  accuracy: number;
  /** Cost of the whole training set in inference mode (dropout off, no augmentation), when measured. */
  lossWithoutDropout?: number;
  /** Accuracy on the whole training set in inference mode, when measured. */
  accuracyWithoutDropout?: number;
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

/** Options of {@link trainLoop}. */
export interface TrainLoopOptions {
  epochs: number;
  batchSize: number;
  /** Seed of the batch order and augmentation. */
  seed: number;
  /** Epochs without a better dev loss before stopping (0 = never stop early). */
  patience: number;
  normalizer: Normalizer;
  /** Applied to the raw training images of each batch, before normalization. */
  augment?: Augmentation;
  /** Also evaluate the training set with dropout off after every epoch (lossWithoutDropout, accuracyWithoutDropout). */
  evaluateTrain?: boolean;
  /** Stops training after the current batch. */
  signal?: AbortSignal;
  onProgress?(p: BatchProgress): void;
  onEpochEnd?(r: EpochRecord): void;
}

/** Progress callbacks at most this often (ms), so redrawing costs nothing measurable. */
const PROGRESS_INTERVAL_MS = 80;

/** Turns fit's steps and epoch logs into progress reports and epoch records. */
function recorder(opts: TrainLoopOptions, batches: number, records: EpochRecord[]): Callback {
  let t0 = 0;
  let lastBatch = 0;
  let lastDraw = 0;
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  return {
    onEpochBegin() {
      t0 = lastDraw = lastBatch = performance.now();
      lossSum = correct = seen = 0;
    },
    onBatchEnd(batch, step) {
      const { size = 0, accuracy = 0 } = step as FitStep;
      lossSum += step.loss * size;
      correct += accuracy * size;
      seen += size;
      lastBatch = performance.now();
      if (opts.onProgress && lastBatch - lastDraw > PROGRESS_INTERVAL_MS) {
        lastDraw = lastBatch;
        opts.onProgress({ epoch: (step as FitStep).epoch + 1, batch: batch + 1, batches, loss: lossSum / seen, accuracy: correct / seen, lr: step.lr ?? Number.NaN, samplesPerSecond: seen / ((lastBatch - t0) / 1000) });
      }
    },
    onEpochEnd(epoch, logs) {
      const seconds = (lastBatch - t0) / 1000;
      const record: EpochRecord = {
        epoch: epoch + 1, loss: logs.loss, accuracy: logs.accuracy ?? Number.NaN,
        ...(logs.lossWithoutDropout !== undefined && { lossWithoutDropout: logs.lossWithoutDropout, accuracyWithoutDropout: logs.accuracyWithoutDropout }),
        devLoss: logs.valLoss ?? Number.NaN, devAccuracy: logs.valAccuracy ?? Number.NaN, lr: logs.lr ?? Number.NaN, seconds, samplesPerSecond: seen / seconds,
      };
      records.push(record);
      opts.onEpochEnd?.(record);
    },
  };
}

/**
 * Trains a compiled model with `fit`.
 *
 * @param model - compiled with a loss, an optimizer and the 'accuracy' metric
 * @param data - the training and dev parts of a split
 * @param opts - epochs, batch size, seed, patience, normalizer, augmentation, callbacks
 * @returns the epochs done, and why training ended
 */
export async function trainLoop(model: Sequential, data: { train: Part; dev: Part }, opts: TrainLoopOptions): Promise<TrainResult> {
  const { train, dev } = data;
  const m = train.x.shape[0];
  const batchSize = Math.min(opts.batchSize, m);
  // A last batch of one example cannot be batch-normalized; dropping it skips one random example per epoch.
  const dropRemainder = m % batchSize === 1;
  const batches = dropRemainder ? Math.floor(m / batchSize) : Math.ceil(m / batchSize);
  const stopper = opts.patience > 0 ? earlyStopping({ monitor: 'valLoss', patience: opts.patience, restoreBestWeights: true }) : null;
  const records: EpochRecord[] = [];
  const augment = opts.augment ? new RawAugmentation(train.raw, opts.normalizer, opts.augment) : undefined;
  let diverged: string | null = null;
  let stoppedEarly = false;
  const started = performance.now();
  try {
    const history = await model.fit(train.x, train.y, {
      epochs: opts.epochs, batchSize, seed: opts.seed, dropRemainder, augment, signal: opts.signal,
      validationData: [dev.x, dev.y], lossWithoutDropout: opts.evaluateTrain === true,
      callbacks: [recorder(opts, batches, records), ...(stopper ? [stopper] : [])],
    });
    stoppedEarly = history.stopped && !opts.signal?.aborted;
  } catch (e) {
    if (!(e instanceof NnkitError && e.code === 'DIVERGED')) throw e;
    diverged = e.message;
  } finally {
    augment?.dispose();
  }
  model.stopTraining = false;
  // fit restored the best epoch's weights (onTrainEnd); after a divergence the model keeps its last finite weights instead.
  const keptEpoch = stopper && !diverged && records.length > 0 ? stopper.bestEpoch + 1 : records.length;
  return { epochs: records, stoppedEarly, keptEpoch, diverged, seconds: (performance.now() - started) / 1000 };
}
