// The options of fit and fitSteps, checked once per call before anything changes: the data (tensors
// or a batch iterable), the targets (read once, not per batch), loss, optimizer and metrics, and what
// each option may be. The result is the plan the loop in fit.ts runs.
import type { BatchTransform } from '@nnkit/data';
import { describeValue, Tensor, tensorHint } from '@nnkit/tensor-wasm';
import { BatchNorm } from './batch-norm';
import { checkInputs, checkTargets } from './data-checks';
import { checkPositiveInt, fail, shapeText } from './errors';
import { type Loss, type LossFunction, type LossName, type LossTargets, resolveLoss } from './losses/index';
import { type Metric, type MetricFunction, resolveMetrics } from './metrics';
import { checkOptimizer, type Sequential, setTraining } from './sequential';
import type { Callback, Optimizer } from './types';

/** Options of `model.fit` and `model.fitSteps`. */
export interface FitOptions {
  /** Passes over the data (default 1); 0 trains nothing; `Infinity` runs until stopped (a callback, the signal, or leaving fitSteps). */
  epochs?: number;
  /**
   * Index of the first epoch to run (default 0), for resuming a saved run: as in Keras, `epochs`
   * is then the index to stop at, so `{ initialEpoch: 2, epochs: 4 }` runs epochs 2 and 3 and
   * per-epoch schedules see the right epoch numbers.
   */
  initialEpoch?: number;
  /** Examples per step (default 32, capped at the data size): m gives batch gradient descent, 1 gives SGD. Tensors only. */
  batchSize?: number;
  /** Shuffle the examples every epoch (default true). Tensors only. */
  shuffle?: boolean;
  /** Seed of the shuffling (and augmentation) for this call, as `batches()` of @nnkit/data uses it; default: the model's shuffling stream. Tensors only. */
  seed?: number;
  /** Leave out the last batch when it is smaller than batchSize (default false), e.g. a last batch of one with batch norm. Tensors only. */
  dropRemainder?: boolean;
  /**
   * Changes each training batch's x in place after it is gathered (a copy: the data never changes),
   * e.g. `augment([...])` from @nnkit/regularizers. It draws from its own stream, forked per epoch
   * beside the shuffling one, so the batch order is the same with or without it; it is told the
   * batch's row `indices`. Evaluation and validation never see it. Tensors only.
   */
  augment?: BatchTransform;
  /** Ends training cleanly after the current batch when aborted: the history of that point is returned. */
  signal?: AbortSignal;
  /** The m of the regularizers' λ/m; default: the rows of x, or for a batch iterable each batch's size. */
  trainingExamples?: number;
  /** 0 silent (default), 1 one line per epoch. */
  verbose?: 0 | 1;
  /** [x, y] evaluated after every epoch (valLoss, valAccuracy, …). */
  validationData?: [Tensor, Tensor | ArrayLike<number>];
  callbacks?: Callback[];
  /** Overrides the compiled loss (a name, or a function (yTrue, yPred) => scalar Tensor). */
  loss?: LossName | LossFunction;
  /** Overrides the compiled optimizer. */
  optimizer?: Optimizer;
  /** Overrides the compiled metrics. */
  metrics?: Metric[];
  /**
   * Also evaluate the training set in inference mode after each epoch: `lossWithoutDropout` and,
   * with the accuracy metric, `accuracyWithoutDropout`. Dropout (and augmentation) make the running
   * training numbers ill-defined, so these are the cost and accuracy to judge. Tensors only.
   */
  lossWithoutDropout?: boolean;
}

/** The option names fit knows. */
const FIT_OPTIONS: readonly (keyof FitOptions)[] = [
  'epochs', 'initialEpoch', 'batchSize', 'shuffle', 'seed', 'dropRemainder', 'augment', 'signal', 'trainingExamples', 'verbose',
  'validationData', 'callbacks', 'loss', 'optimizer', 'metrics', 'lossWithoutDropout',
];

/** Options that only make sense when fit batches tensors itself. */
const TENSOR_ONLY: readonly (keyof FitOptions)[] = ['batchSize', 'shuffle', 'seed', 'dropRemainder', 'augment', 'lossWithoutDropout'];

/** Keras's default mini-batch size. */
export const DEFAULT_BATCH_SIZE = 32;

/** A batch as fit trains on it. */
export interface TrainingBatch {
  x: Tensor;
  y: Tensor | Int32Array | ArrayLike<number>;
}

/** What fit is given to train on: tensors, or an iterable of batches (read once per epoch). */
export type FitData =
  | { kind: 'tensors'; x: Tensor; y: LossTargets }
  | { kind: 'iterable'; source: FitBatches };

/** Batches fit can train on: an iterable of `{ x, y }` (sync or async), or a function making one per epoch. */
export type FitBatches =
  | Iterable<TrainingBatch>
  | AsyncIterable<TrainingBatch>
  | (() => Iterable<TrainingBatch> | AsyncIterable<TrainingBatch>);

/** fit(x, y, opts) or fit(batches, opts) as (data, targets, options). */
export function fitArguments(x: unknown, y: unknown, opts: FitOptions | undefined): [unknown, unknown, FitOptions] {
  const tensors = x instanceof Tensor || y instanceof Tensor || Array.isArray(y) || ArrayBuffer.isView(y);
  if (tensors || opts !== undefined) return [x, y, opts ?? {}];
  return [x, undefined, (y ?? {}) as FitOptions];
}

/** Everything the loop needs, checked. */
export interface FitPlan {
  data: FitData;
  epochs: number;
  initialEpoch: number;
  batchSize: number;
  shuffle: boolean;
  seed: number | undefined;
  dropRemainder: boolean;
  augment: BatchTransform | undefined;
  signal: AbortSignal | undefined;
  trainingExamples: number | undefined;
  verbose: boolean;
  loss: Loss;
  optimizer: Optimizer;
  metrics: { name: string; fn: MetricFunction | null }[];
  validation: [Tensor, LossTargets] | null;
  callbacks: Callback[];
  lossWithoutDropout: boolean;
  /** Tensors made from plain arrays of targets, freed when fit ends. */
  made: Tensor[];
}

const where = 'fit()';

/** A batch iterable, or a function making one; an array counts when its elements are `{ x, y }` batches (not rows of numbers). */
function isBatchIterable(v: unknown): boolean {
  if (typeof v === 'function') return true;
  if (Array.isArray(v)) return v.length > 0 && v.every((b) => b !== null && typeof b === 'object' && 'x' in b);
  return v !== null && typeof v === 'object' && !(v instanceof Tensor) && (Symbol.iterator in v || Symbol.asyncIterator in v);
}

function checkKeys(opts: object): void {
  for (const key of Object.keys(opts)) {
    if (!(FIT_OPTIONS as readonly string[]).includes(key)) {
      fail('INVALID_ARGUMENT', `${where}: unknown option ${JSON.stringify(key)}; expected one of ${FIT_OPTIONS.join(', ')}`);
    }
  }
}

function checkCount(value: unknown, name: string, allowInfinity: boolean): number {
  const ok = typeof value === 'number' && value >= 0 && (Number.isInteger(value) || (allowInfinity && value === Number.POSITIVE_INFINITY));
  if (!ok) fail('INVALID_ARGUMENT', `${where}: ${name} must be an integer ≥ 0, got ${describeValue(value)}${allowInfinity ? ' (Infinity runs until stopped)' : ''}`);
  return value as number;
}

/**
 * Checks fit's arguments and sets the model's loss, optimizer and metrics for the run.
 * @param x - a Tensor [examples, features], or an iterable of batches (then `y` is undefined)
 */
export function prepareFit(model: Sequential, x: unknown, y: unknown, opts: FitOptions): FitPlan {
  if (opts === null || typeof opts !== 'object') fail('INVALID_ARGUMENT', `${where}: options must be an object, got ${describeValue(opts)}`);
  checkKeys(opts);
  const iterable = isBatchIterable(x);
  if (iterable) {
    const misplaced = TENSOR_ONLY.find((k) => opts[k] !== undefined);
    if (misplaced) fail('INVALID_ARGUMENT', `${where}: ${misplaced} applies when fit batches x and y itself, not to a batch iterable (its batches are made already)`);
    if (y !== undefined) fail('INVALID_ARGUMENT', `${where}: with a batch iterable the options come second: fit(batches, options), got ${describeValue(y)} after it`);
  }
  const epochs = checkCount(opts.epochs ?? 1, 'epochs', true);
  const initialEpoch = checkCount(opts.initialEpoch ?? 0, 'initialEpoch', false);
  if (opts.batchSize !== undefined) checkPositiveInt(opts.batchSize, 'batchSize', where);
  if (opts.trainingExamples !== undefined) checkPositiveInt(opts.trainingExamples, 'trainingExamples', where);
  if (opts.seed !== undefined && (!Number.isSafeInteger(opts.seed) || opts.seed < 0)) fail('INVALID_ARGUMENT', `${where}: seed must be a non-negative integer, got ${describeValue(opts.seed)}`);
  if (opts.callbacks !== undefined && !Array.isArray(opts.callbacks)) fail('INVALID_ARGUMENT', `${where}: callbacks must be an array, got ${describeValue(opts.callbacks)}`);
  if (opts.augment !== undefined && (opts.augment === null || typeof opts.augment.apply !== 'function')) {
    fail('INVALID_ARGUMENT', `${where}: augment must have apply(x, rng), e.g. augment([...]) from @nnkit/regularizers, got ${describeValue(opts.augment)}`);
  }
  if (opts.signal !== undefined && (opts.signal === null || typeof opts.signal.aborted !== 'boolean')) {
    fail('INVALID_ARGUMENT', `${where}: signal must be an AbortSignal, got ${describeValue(opts.signal)}`);
  }
  const loss = opts.loss !== undefined ? resolveLoss(opts.loss, where) : model.loss;
  const optimizer = opts.optimizer !== undefined ? checkOptimizer(opts.optimizer, where) : model.optimizer;
  if (!loss || !optimizer) fail('NOT_COMPILED', `${where}: call model.compile({ loss, optimizer }) first, or pass loss and optimizer to fit()`);
  const metrics = opts.metrics !== undefined || opts.loss !== undefined ? resolveMetrics(opts.metrics ?? model.metricFunctions.map((m) => m.fn ?? m.name), loss, where) : model.metricFunctions;
  let features: number;
  let batchSize = 0;
  let data: FitData;
  const made: Tensor[] = [];
  if (iterable) {
    if (!model.built) fail('NOT_BUILT', `${where}: a model trained from a batch iterable needs its inputShape: pass sequential(layers, { inputShape })`);
    features = model.inputShape![0];
    data = { kind: 'iterable', source: x as never };
  } else {
    if (!model.built && !(x instanceof Tensor && x.shape.length === 2)) {
      fail('INVALID_SHAPE', `${where}: x must be a 2-D Tensor [examples, features] or an iterable of { x, y } batches, got ${x instanceof Tensor ? shapeText(x.shape) : describeValue(x)}${tensorHint(x)}`);
    }
    const xt = checkInputs(x, 'x', where, model.built ? model.inputShape![0] : (x as Tensor).shape[1], model.dtype);
    features = xt.shape[1];
    model.build([features]);
    const m = xt.shape[0];
    batchSize = Math.min(opts.batchSize ?? DEFAULT_BATCH_SIZE, m);
    const lastOfOne = !opts.dropRemainder && m % batchSize === 1;
    if ((lastOfOne || batchSize === 1) && model.layers.some((l) => l instanceof BatchNorm)) {
      fail('INVALID_BATCH', `${where}: ${m} examples in batches of ${batchSize} leave a last batch of 1, which batch norm cannot normalize; choose another batchSize or pass dropRemainder: true`);
    }
    // The targets are read (and their values checked) once per call, here, not in every step.
    const train = checkTargets(y, loss, m, model.outputShape[0], model.dtype, where);
    if (train.made) made.push(train.made);
    data = { kind: 'tensors', x: xt, y: train.targets };
  }
  let validation: [Tensor, LossTargets] | null = null;
  try {
    if (opts.validationData !== undefined) {
      const v = opts.validationData;
      if (!Array.isArray(v) || v.length !== 2) fail('INVALID_ARGUMENT', `${where}: validationData must be [x, y], got ${describeValue(v)}`);
      const xv = checkInputs(v[0], 'validationData x', where, features, model.dtype);
      const read = checkTargets(v[1], loss, xv.shape[0], model.outputShape[0], model.dtype, where, 'validationData y');
      if (read.made) made.push(read.made);
      validation = [xv, read.targets];
    }
  } catch (e) {
    for (const t of made) t.dispose();
    throw e;
  }
  setTraining(model, loss, optimizer, metrics);
  return {
    data, epochs, initialEpoch, batchSize, shuffle: opts.shuffle ?? true, seed: opts.seed, dropRemainder: opts.dropRemainder === true,
    augment: opts.augment, signal: opts.signal, trainingExamples: opts.trainingExamples, verbose: opts.verbose === 1,
    loss, optimizer, metrics, validation, callbacks: opts.callbacks ?? [], lossWithoutDropout: opts.lossWithoutDropout === true, made,
  };
}
