// Early stopping as a training callback, with Keras' semantics (patience, minDelta, baseline) and
// restoring the best epoch's weights at the end of training.
import { checkOptionKeys, clone, describeValue, keep, NnkitError, type Tensor } from '@nnkit/tensor-wasm';
import type { Callback, EpochLogs, TrainableModel } from './callbacks';

/** Options of {@link earlyStopping}. */
export interface EarlyStoppingOptions {
  /** The epoch log to watch (default 'valLoss'). */
  monitor?: string;
  /** 'min' (losses), 'max' (accuracies) or 'auto' (default): max when the name mentions acc, auc, precision, recall or f1. */
  mode?: 'auto' | 'min' | 'max';
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** The smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** At the end of training, put back the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
  /** Training stops unless the monitored value beats this within `patience` epochs. */
  baseline?: number;
  /** Epochs to let pass before watching at all, e.g. during warm-up (default 0; Keras' start_from_epoch). */
  startFromEpoch?: number;
}

/** Every key of {@link EarlyStoppingOptions}, for the unknown-option check. */
const EARLY_STOPPING_OPTION_KEYS = ['monitor', 'mode', 'patience', 'minDelta', 'restoreBestWeights', 'baseline', 'startFromEpoch'] as const satisfies readonly (keyof EarlyStoppingOptions)[];

/** The callback, with what it found. */
export interface EarlyStopping extends Callback {
  /** The best monitored value so far (undefined before the first epoch). */
  readonly best: number | undefined;
  /** The epoch of the best value. */
  readonly bestEpoch: number;
  /** The epoch at which training was stopped, or -1 if it ran to the end. */
  readonly stoppedEpoch: number;
}

const MAX_MODE_PATTERN = /acc|auc|precision|recall|f1/i;

/**
 * Stops training when the monitored metric has not improved for `patience` epochs. With
 * `restoreBestWeights`, clones of the best epoch's weights are kept and written back with
 * `model.setWeights` in `onTrainEnd` — whether training stopped early or ran all its epochs (the
 * behaviour of Keras 3) — so the loop must call `onTrainEnd`; the clones are then disposed.
 *
 * @param opts - monitor, mode, patience, minDelta, restoreBestWeights, baseline, startFromEpoch
 * @returns a {@link Callback} that also reports `best`, `bestEpoch` and `stoppedEpoch`
 * @example
 * await model.fit(x, y, { epochs: 100, validationData: [xDev, yDev],
 *   callbacks: [earlyStopping({ patience: 3, restoreBestWeights: true })] });
 */
export function earlyStopping(opts: EarlyStoppingOptions = {}): EarlyStopping {
  const where = 'earlyStopping()';
  checkOptionKeys(opts, EARLY_STOPPING_OPTION_KEYS, where);
  const { monitor = 'valLoss', mode = 'auto', patience = 0, minDelta = 0, restoreBestWeights = false, baseline, startFromEpoch = 0 } = opts;
  if (typeof monitor !== 'string' || monitor.length === 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: monitor ${JSON.stringify(monitor)} must be the name of an epoch log such as 'valLoss'`);
  }
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max') {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: mode '${String(mode)}' must be 'auto', 'min' or 'max'`);
  }
  if (!Number.isInteger(patience) || patience < 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: patience ${describeValue(patience)} must be an integer ≥ 0`);
  }
  if (!Number.isInteger(startFromEpoch) || startFromEpoch < 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: startFromEpoch ${describeValue(startFromEpoch)} must be an integer ≥ 0`);
  }
  if (typeof minDelta !== 'number' || !Number.isFinite(minDelta)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: minDelta ${describeValue(minDelta)} must be a finite number`);
  }
  if (baseline !== undefined && (typeof baseline !== 'number' || !Number.isFinite(baseline))) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: baseline ${describeValue(baseline)} must be a finite number`);
  }
  const maximize = mode === 'max' || (mode === 'auto' && MAX_MODE_PATTERN.test(monitor));
  const delta = Math.abs(minDelta);
  // NaN (a diverged run) never improves anything.
  const improves = (value: number, reference: number | undefined) =>
    !Number.isNaN(value) && (reference === undefined || (maximize ? value - delta > reference : value + delta < reference));

  let model: TrainableModel | undefined;
  let best: number | undefined;
  let bestEpoch = 0;
  let stoppedEpoch = -1;
  let wait = 0;
  let bestWeights: Tensor[] | null = null;

  const release = () => {
    if (bestWeights) for (const w of bestWeights) w.dispose();
    bestWeights = null;
  };
  const snapshot = (m: TrainableModel) => {
    // Clone before releasing, so a failing clone leaves the previous snapshot intact; keep() takes
    // the clones out of any scope() the training loop runs epochs in.
    const copies = m.getWeights().map((w) => keep(clone(w)));
    release();
    bestWeights = copies;
  };

  return {
    get best() {
      return best;
    },
    get bestEpoch() {
      return bestEpoch;
    },
    get stoppedEpoch() {
      return stoppedEpoch;
    },
    setModel(m: TrainableModel) {
      model = m;
    },
    onTrainBegin() {
      release();
      best = undefined;
      bestEpoch = 0;
      stoppedEpoch = -1;
      wait = 0;
    },
    onEpochEnd(epoch: number, logs: EpochLogs) {
      if (epoch < startFromEpoch) return;
      const current = logs?.[monitor];
      if (typeof current !== 'number') {
        const available = logs ? Object.keys(logs).filter((k) => typeof logs[k] === 'number').join(', ') : 'none';
        throw new NnkitError(
          'MISSING_METRIC',
          `earlyStopping: monitor '${monitor}' is ${current === undefined ? 'missing from' : `${String(current)} in`} the logs of epoch ${epoch} (available: ${available}); give validation data or monitor another log`,
        );
      }
      if (restoreBestWeights && !model) {
        throw new NnkitError('INVALID_ARGUMENT', 'earlyStopping: restoreBestWeights needs setModel(model) before training');
      }
      // As in Keras: the first watched epoch's weights are kept even if nothing ever improves.
      const first = restoreBestWeights && bestWeights === null;
      if (first) {
        snapshot(model!);
        bestEpoch = epoch;
      }
      wait++;
      if (improves(current, best)) {
        best = current;
        bestEpoch = epoch;
        if (restoreBestWeights && !first) snapshot(model!);
        // Patience restarts only once the value beats both the previous best and the baseline.
        if (baseline === undefined || improves(current, baseline)) wait = 0;
        return;
      }
      if (wait >= patience && epoch > 0) {
        stoppedEpoch = epoch;
        if (model) model.stopTraining = true;
      }
    },
    onTrainEnd() {
      if (restoreBestWeights && bestWeights && model) model.setWeights(bestWeights);
      release();
    },
  };
}
