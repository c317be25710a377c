// Mini-batch training: seeded shuffling each epoch, batches gathered into reused buffers (the last
// one may be smaller), validation, metrics, callbacks that can stop training, a history with the
// learning rate and per-layer gradient norms, and a clean stop on divergence.
import { affine, clone, createRng, describeValue, gatherRows, type NnkitError, type Rng, Tensor, tensorHint } from '@nnkit/tensor-wasm';
import { BatchNorm } from './batch-norm';
import { checkInputs, checkTargets } from './data-checks';
import { checkPositiveInt, fail, shapeText } from './errors';
import { type LossName, type LossTargets, resolveLoss } from './losses/index';
import { countCorrect, type Metric, resolveMetrics } from './metrics';
import { RowBuffer } from './row-buffer';
import { checkOptimizer, EVAL_BATCH_SIZE, type Sequential } from './sequential';
import { diagnoseDivergence } from './train-step';
import type { Callback, EpochLogs, Optimizer } from './types';

/** Options of `model.fit`. */
export interface FitOptions {
  /** Passes over the data (default 1); 0 trains nothing. */
  epochs?: number;
  /**
   * Index of the first epoch to run (default 0), for resuming a saved run: as in Keras, `epochs`
   * is then the index to stop at, so `{ initialEpoch: 2, epochs: 4 }` runs epochs 2 and 3 and
   * per-epoch schedules see the right epoch numbers.
   */
  initialEpoch?: number;
  /** Examples per step (default 32, capped at the data size): m gives batch gradient descent, 1 gives SGD. */
  batchSize?: number;
  /** Shuffle the examples every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffling for this call; default: the model's shuffling stream. */
  seed?: number;
  /** 0 silent (default), 1 one line per epoch. */
  verbose?: 0 | 1;
  /** [x, y] evaluated after every epoch (valLoss, valAccuracy, …). */
  validationData?: [Tensor, Tensor | ArrayLike<number>];
  callbacks?: Callback[];
  /** Overrides the compiled loss. */
  loss?: LossName;
  /** Overrides the compiled optimizer. */
  optimizer?: Optimizer;
  /** Overrides the compiled metrics. */
  metrics?: Metric[];
  /**
   * Also evaluate the training set in inference mode after each epoch (`lossWithoutDropout`):
   * dropout makes the training cost ill-defined, so this is the cost to watch for monotone decrease.
   */
  lossWithoutDropout?: boolean;
}

/** What `fit` returns. */
export interface History {
  /** One entry per completed epoch: loss, metrics, validation numbers, learning rate. */
  epochs: EpochLogs[];
  /** Per epoch: layer name → mean over its batches of ‖gradient‖₂ of the layer's parameters. */
  gradientNorms: Record<string, number>[];
  /** True when a callback set `stopTraining`. */
  stopped: boolean;
}

/** The error `fit()` throws when training diverges: a `DIVERGED` NnkitError carrying the history of the epochs that finished. */
export type DivergedError = NnkitError & { code: 'DIVERGED'; history: History };

/** Keras's default mini-batch size. */
export const DEFAULT_BATCH_SIZE = 32;

interface Prepared {
  epochs: number;
  initialEpoch: number;
  batchSize: number;
  shuffle: boolean;
  rng: Rng;
  x: Tensor;
  y: LossTargets;
  validation: [Tensor, LossTargets] | null;
  callbacks: Callback[];
  lossWithoutDropout: boolean;
  /** Tensors made from plain arrays of targets, freed when fit ends. */
  made: Tensor[];
}

function prepare(model: Sequential, x: Tensor, y: unknown, opts: FitOptions): Prepared {
  const where = 'fit()';
  if (opts === null || typeof opts !== 'object') fail('INVALID_ARGUMENT', `${where}: options must be an object, got ${describeValue(opts)}`);
  const epochs = opts.epochs ?? 1;
  if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 0) fail('INVALID_ARGUMENT', `${where}: epochs must be an integer ≥ 0, got ${describeValue(epochs)}`);
  const initialEpoch = opts.initialEpoch ?? 0;
  if (typeof initialEpoch !== 'number' || !Number.isInteger(initialEpoch) || initialEpoch < 0) fail('INVALID_ARGUMENT', `${where}: initialEpoch must be an integer ≥ 0, got ${describeValue(initialEpoch)}`);
  if (opts.batchSize !== undefined) checkPositiveInt(opts.batchSize, 'batchSize', where);
  if (opts.seed !== undefined && (!Number.isSafeInteger(opts.seed) || opts.seed < 0)) fail('INVALID_ARGUMENT', `${where}: seed must be a non-negative integer, got ${describeValue(opts.seed)}`);
  if (opts.callbacks !== undefined && !Array.isArray(opts.callbacks)) fail('INVALID_ARGUMENT', `${where}: callbacks must be an array, got ${describeValue(opts.callbacks)}`);
  const loss = opts.loss !== undefined ? resolveLoss(opts.loss, where) : model.loss;
  const optimizer = opts.optimizer !== undefined ? checkOptimizer(opts.optimizer, where) : model.optimizer;
  if (!loss || !optimizer) fail('NOT_COMPILED', `${where}: call model.compile({ loss, optimizer }) first, or pass loss and optimizer to fit()`);
  const metrics = opts.metrics !== undefined || opts.loss !== undefined ? resolveMetrics(opts.metrics ?? model.metricFunctions.map((m) => m.fn ?? m.name), loss, where) : model.metricFunctions;
  if (!model.built && !(x instanceof Tensor && x.shape.length === 2)) {
    fail('INVALID_SHAPE', `${where}: x must be a 2-D Tensor [examples, features], got ${x instanceof Tensor ? shapeText(x.shape) : describeValue(x)}${tensorHint(x)}`);
  }
  checkInputs(x, model.built ? model.inputShape![0] : x.shape[1], model.dtype, where);
  model.build([x.shape[1]]);
  const m = x.shape[0];
  const outputs = model.outputShape[0];
  const batchSize = Math.min(opts.batchSize ?? DEFAULT_BATCH_SIZE, m);
  if ((m % batchSize === 1 || batchSize === 1) && model.layers.some((l) => l instanceof BatchNorm)) {
    fail('INVALID_BATCH', `${where}: ${m} examples in batches of ${batchSize} leave a last batch of 1, which batch norm cannot normalize; choose another batchSize`);
  }
  let xv: Tensor | null = null;
  if (opts.validationData !== undefined) {
    const v = opts.validationData;
    if (!Array.isArray(v) || v.length !== 2) fail('INVALID_ARGUMENT', `${where}: validationData must be [x, y], got ${String(v)}`);
    xv = checkInputs(v[0], x.shape[1], model.dtype, where, 'validationData x');
  }
  // The targets are read (and their values checked) once per call, here, not in every step; the
  // last checks, so that a tensor made from a plain array is freed if the validation targets fail.
  const train = checkTargets(y, loss, m, outputs, model.dtype, where);
  let validation: [Tensor, LossTargets] | null = null;
  const made = train.made ? [train.made] : [];
  if (xv) {
    try {
      const read = checkTargets(opts.validationData![1], loss, xv.shape[0], outputs, model.dtype, where, 'validationData y');
      if (read.made) made.push(read.made);
      validation = [xv, read.targets];
    } catch (e) {
      for (const t of made) t.dispose();
      throw e;
    }
  }
  model.setTraining(loss, optimizer, metrics);
  return {
    epochs, initialEpoch, batchSize, shuffle: opts.shuffle ?? true, x, y: train.targets, validation,
    rng: opts.seed === undefined ? model.shuffleRng : createRng(opts.seed),
    callbacks: opts.callbacks ?? [],
    lossWithoutDropout: opts.lossWithoutDropout === true,
    made,
  };
}

function learningRateOf(optimizer: Optimizer): number | undefined {
  const lr = optimizer.learningRate;
  if (typeof lr === 'number') return lr;
  if (typeof lr === 'function') return lr(optimizer.iterations ?? 0);
  return undefined;
}

/** Fisher–Yates with the given generator. */
function shuffleInPlace(perm: Int32Array, rng: Rng): void {
  for (let i = perm.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
}

/** Restores from `snapshot` each live weight that is no longer finite (e.g. batch-norm statistics of a diverged forward pass). */
function restoreNonFinite(live: Tensor[], snapshot: Tensor[]): void {
  live.forEach((w, i) => {
    if (w.toArray().some((v) => !Number.isFinite(v))) w.assign(snapshot[i]);
  });
}

/** The training loop behind `model.fit`. */
export async function fitModel(model: Sequential, x: Tensor, y: Tensor | ArrayLike<number>, opts: FitOptions): Promise<History> {
  const p = prepare(model, x, y, opts);
  try {
    return await train(model, p, opts);
  } finally {
    for (const t of p.made) t.dispose();
  }
}

async function train(model: Sequential, p: Prepared, opts: FitOptions): Promise<History> {
  const x = p.x;
  const loss = model.loss!;
  const optimizer = model.optimizer!;
  const m = x.shape[0];
  const features = x.shape[1];
  const batches = Math.ceil(m / p.batchSize);
  const metricSpecs = model.metricFunctions;
  const wantAccuracy = metricSpecs.some((s) => s.name === 'accuracy' && s.fn === null);
  const history: History = { epochs: [], gradientNorms: [], stopped: false };
  const perm = new Int32Array(m);
  for (let i = 0; i < m; i++) perm[i] = i;
  const xBuf = new RowBuffer([features], model.dtype);
  const yBuf = p.y instanceof Int32Array ? null : new RowBuffer([p.y.shape[1]], model.dtype);
  const idBuf = p.y instanceof Int32Array ? new Int32Array(p.batchSize) : null;
  const live = model.liveWeights();
  // Copies of the weights at the start of each epoch, to repair weights a diverged step made
  // non-finite (batch-norm statistics are updated in the forward pass, before the loss is known).
  const snapshot = live.map((w) => clone(w));
  const gradLayers = model.layers.map((l, i) => [l, i] as const).filter(([l]) => l.parameters().length > 0);
  let lastLogs: EpochLogs | undefined;
  model.stopTraining = false;
  try {
    for (const c of p.callbacks) c.setModel?.(model);
    for (const c of p.callbacks) await c.onTrainBegin?.();
    for (let epoch = p.initialEpoch; epoch < p.epochs && !model.stopTraining; epoch++) {
      for (const c of p.callbacks) await c.onEpochBegin?.(epoch);
      optimizer.setEpoch?.(epoch);
      // The rate this epoch starts with (for per-epoch schedules, the rate of the whole epoch).
      const lr = learningRateOf(optimizer);
      // Each epoch shuffles the identity afresh, so its batch order depends only on the stream's
      // state at the epoch's start: a run resumed from a saved state draws the same batches.
      if (p.shuffle) {
        for (let i = 0; i < m; i++) perm[i] = i;
        shuffleInPlace(perm, p.rng);
      }
      live.forEach((w, i) => {
        affine(w, 1, 0, { out: snapshot[i] });
      });
      let lossSum = 0;
      let correct = 0;
      let counted = 0;
      const normSums = new Float64Array(model.layers.length);
      let done = 0;
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        const start = b * p.batchSize;
        const end = Math.min(m, start + p.batchSize);
        const n = end - start;
        const idx = perm.subarray(start, end);
        const xb = gatherRows(p.x, idx, { out: xBuf.get(n) });
        let yb: LossTargets;
        if (idBuf) {
          for (let r = 0; r < n; r++) idBuf[r] = (p.y as Int32Array)[idx[r]];
          yb = n === idBuf.length ? idBuf : idBuf.subarray(0, n);
        } else {
          yb = gatherRows(p.y as Tensor, idx, { out: yBuf!.get(n) });
        }
        const result = model.stepUnchecked(xb, yb, m, loss, optimizer);
        if (!result.finite) {
          restoreNonFinite(live, snapshot);
          const error = diagnoseDivergence(model, result, 'fit()', ` at epoch ${epoch + 1} of ${p.epochs}, batch ${b + 1} of ${batches}`);
          // The epochs that finished are not lost: the caller can still report them.
          throw Object.assign(error, { history });
        }
        lossSum += result.loss * n;
        if (wantAccuracy) {
          const [c, k] = countCorrect(loss, result.pred, yb);
          correct += c;
          counted += k;
        }
        for (const [, i] of gradLayers) normSums[i] += Math.sqrt(model.layerGradSquares[i]);
        done++;
        seen += n;
        for (const c of p.callbacks) await c.onBatchEnd?.(b, { loss: result.loss });
        if (model.stopTraining) break;
      }
      const logs: EpochLogs = { loss: lossSum / seen };
      if (wantAccuracy) logs.accuracy = correct / counted;
      await addEpochMetrics(model, p, logs);
      logs.lr = lr;
      history.epochs.push(logs);
      history.gradientNorms.push(Object.fromEntries(gradLayers.map(([l, i]) => [l.name!, normSums[i] / done])));
      if (opts.verbose === 1) console.log(formatLogs(epoch, p.epochs, logs));
      lastLogs = logs;
      for (const c of p.callbacks) await c.onEpochEnd?.(epoch, logs);
    }
    history.stopped = model.stopTraining;
    for (const c of p.callbacks) await c.onTrainEnd?.(lastLogs);
    return history;
  } finally {
    for (const t of snapshot) t.dispose();
    xBuf.dispose();
    yBuf?.dispose();
  }
}

async function addEpochMetrics(model: Sequential, p: Prepared, logs: EpochLogs): Promise<void> {
  const custom = model.metricFunctions.filter((s) => s.fn !== null);
  if (custom.length > 0 || p.lossWithoutDropout) {
    const clean = model.evaluateUnchecked(p.x, p.y, EVAL_BATCH_SIZE);
    for (const s of custom) logs[s.name] = clean[s.name];
    if (p.lossWithoutDropout) logs.lossWithoutDropout = clean.loss;
  }
  if (p.validation) {
    const v = model.evaluateUnchecked(p.validation[0], p.validation[1], EVAL_BATCH_SIZE);
    logs.valLoss = v.loss;
    for (const name of model.metricNames) logs[`val${name[0].toUpperCase()}${name.slice(1)}`] = v[name];
  }
}

function formatLogs(epoch: number, epochs: number, logs: EpochLogs): string {
  const parts = Object.entries(logs).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${Number(v).toPrecision(4)}`);
  return `Epoch ${epoch + 1}/${epochs} – ${parts.join(' – ')}`;
}
