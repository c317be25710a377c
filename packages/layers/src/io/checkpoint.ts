// A fit callback that saves the model every N epochs, optionally only when a monitored number
// improves (keeping the best model), with the optimizer and random streams so training can resume
// from it exactly. A directory checkpoint is atomic as a whole, as every save(dir) is: its weights go
// to a new file (weights-e<epoch>-<12 hex digits>.bin) and then model.json is replaced, the one
// commit point; a crash at any moment leaves a model.json that names complete weights. Older
// weight files go afterwards.
import { checkOptionKeys, type DType } from '@nnkit/tensor-wasm';
import { fail } from '../errors';
import type { Callback, EpochLogs, TrainableModel } from '../types';
import type { ModelArtifacts, SaveOptions, SaveTarget } from './artifacts';
import { isIndexedDbUrl } from './browser-storage';
import { isNode } from './runtime';

/** Options of {@link modelCheckpoint}. */
/** Every key of {@link ModelCheckpointOptions}, for the unknown-option check. */
const CHECKPOINT_OPTION_KEYS = ['path', 'every', 'monitor', 'mode', 'saveBestOnly', 'includeOptimizer', 'dtype'] as const satisfies readonly (keyof ModelCheckpointOptions)[];

export interface ModelCheckpointOptions {
  /** A directory (Node), `indexeddb://name`, or a handler; `{epoch}` in a string becomes the 1-based epoch, keeping every checkpoint. */
  path: SaveTarget;
  /** Save after every `every` epochs (default 1). */
  every?: number;
  /** The log to compare for `saveBestOnly` (default 'valLoss'). */
  monitor?: string;
  /** 'min', 'max', or 'auto' (default: 'max' for names with "acc", else 'min'). */
  mode?: 'min' | 'max' | 'auto';
  /** Save only when `monitor` beats the best value so far, so `path` holds the best model (default false). */
  saveBestOnly?: boolean;
  /** Save the optimizer and random streams too, for resuming (default true). */
  includeOptimizer?: boolean;
  /** dtype of the saved values (default 'float32'; 'float64' keeps a float64 model exact). */
  dtype?: DType;
}

/** The checkpoint callback, with what it has saved so far. */
export interface ModelCheckpoint extends Callback {
  /** Best monitored value seen (for saveBestOnly), or undefined. */
  readonly best: number | undefined;
  /** Epochs completed at the last save, or undefined before the first. */
  readonly lastSavedEpoch: number | undefined;
}

/** Names of the weight files checkpoints write in a directory: `weights-e<epoch>-<12 hex digits>.bin`. */
export const CHECKPOINT_WEIGHTS = /^weights-e\d+-[0-9a-f]{12}\.bin$/;

interface Savable extends TrainableModel {
  save(target: SaveTarget, opts: SaveOptions): Promise<ModelArtifacts>;
}

/**
 * A callback for `fit` that saves the model every `every` epochs (atomically in a directory), or
 * only when `monitor` improves with `saveBestOnly`.
 *
 * @param opts - path, every, monitor, mode, saveBestOnly, includeOptimizer, dtype
 * @returns the callback
 * @example
 * await model.fit(x, y, { epochs: 20, validationData: [xDev, yDev],
 *   callbacks: [modelCheckpoint({ path: './ckpt' }), modelCheckpoint({ path: './best', saveBestOnly: true })] });
 * const resumed = await loadModel('./ckpt'); await resumed.fit(x, y, { epochs: 20, initialEpoch: 10 });
 */
export function modelCheckpoint(opts: ModelCheckpointOptions): ModelCheckpoint {
  const where = 'modelCheckpoint()';
  if (opts === undefined) fail('INVALID_ARGUMENT', `${where}: options must be an object, got undefined`);
  checkOptionKeys(opts, CHECKPOINT_OPTION_KEYS, where);
  const { path } = opts;
  if (!(typeof path === 'string' && path.length > 0) && typeof (path as { save?: unknown })?.save !== 'function') {
    fail('INVALID_ARGUMENT', `${where}: path must be a directory, 'indexeddb://name' or { save() }, got ${String(path)}`);
  }
  const every = opts.every ?? 1;
  if (!Number.isInteger(every) || every < 1) fail('INVALID_ARGUMENT', `${where}: every must be a positive integer, got ${String(every)}`);
  const monitor = opts.monitor ?? 'valLoss';
  const mode = opts.mode ?? 'auto';
  if (mode !== 'min' && mode !== 'max' && mode !== 'auto') fail('INVALID_ARGUMENT', `${where}: mode must be 'min', 'max' or 'auto', got ${String(mode)}`);
  const maximize = mode === 'max' || (mode === 'auto' && /acc/i.test(monitor));
  const saveBestOnly = opts.saveBestOnly ?? false;
  const includeOptimizer = opts.includeOptimizer ?? true;
  let model: Savable | null = null;
  let best: number | undefined;
  let lastSavedEpoch: number | undefined;

  async function save(epochs: number): Promise<void> {
    const target = typeof path === 'string' ? path.replaceAll('{epoch}', String(epochs)) : path;
    // In a folder, save() makes the name unique and removes the weights of earlier checkpoints.
    const toDirectory = typeof target === 'string' && !isIndexedDbUrl(target) && isNode();
    const weightsFileName = toDirectory ? `weights-e${epochs}.bin` : undefined;
    await model!.save(target, { includeOptimizer, dtype: opts.dtype, epochsCompleted: epochs, weightsFileName });
    lastSavedEpoch = epochs;
  }

  return {
    get best() {
      return best;
    },
    get lastSavedEpoch() {
      return lastSavedEpoch;
    },
    setModel(m: TrainableModel) {
      if (typeof (m as Savable).save !== 'function') fail('INVALID_ARGUMENT', `${where}: the model has no save(); use a Sequential model`);
      model = m as Savable;
    },
    async onEpochEnd(epoch: number, logs: EpochLogs) {
      if ((epoch + 1) % every !== 0) return;
      if (saveBestOnly) {
        const value = logs[monitor];
        if (typeof value !== 'number') {
          fail('INVALID_ARGUMENT', `${where}: monitor ${JSON.stringify(monitor)} is not in the epoch logs (${Object.keys(logs).join(', ')}); pass validationData or another monitor`);
        }
        const improved = best === undefined ? !Number.isNaN(value) : maximize ? value > best : value < best;
        if (!improved) return;
        best = value;
      }
      await save(epoch + 1);
    },
  };
}
