// Where fit's batches come from, one epoch at a time: tensors are batched by @nnkit/data's
// `batches` (its permutation, its reused buffers, its augmentation stream), and a batch iterable
// (e.g. data's `streamBatches`) is read once per epoch, each batch checked as trainStep checks it.
import { batches } from '@nnkit/data';
import type { Tensor } from '@nnkit/tensor-wasm';
import { checkInputs, checkTargets } from './data-checks';
import { fail } from './errors';
import type { FitPlan, TrainingBatch } from './fit-options';
import type { LossTargets } from './losses/index';
import { RowBuffer } from './row-buffer';
import type { Sequential } from './sequential';

/** One batch ready for a step. */
export interface SourceBatch {
  x: Tensor;
  y: LossTargets;
}

/** The batches of each epoch, and the buffers behind them. */
export interface BatchSource {
  /** Batches per epoch, when known in advance. */
  readonly length: number | undefined;
  /** Rows of the training set (tensors only). */
  readonly examples: number | undefined;
  epoch(): Iterator<SourceBatch> | AsyncIterator<SourceBatch>;
  dispose(): void;
}

/** The batch source of a fit plan. */
export function batchSource(model: Sequential, plan: FitPlan): BatchSource {
  const data = plan.data;
  if (data.kind === 'tensors') {
    const shuffling = plan.seed === undefined ? { rng: model.shuffleRng } : { seed: plan.seed };
    const epochs = batches(data.x, data.y, {
      batchSize: plan.batchSize, shuffle: plan.shuffle, dropRemainder: plan.dropRemainder, augment: plan.augment, ...shuffling,
    });
    return {
      length: epochs.length,
      examples: data.x.shape[0],
      epoch: () => epochs[Symbol.iterator]() as Iterator<SourceBatch>,
      dispose: () => epochs.dispose(),
    };
  }
  const where = 'fit()';
  const source = data.source;
  const features = model.inputShape![0];
  const outputs = model.outputShape[0];
  // Targets given as plain arrays go into one reused buffer, as in trainStep.
  const rows = new RowBuffer(model.outputShape, model.dtype);
  let read = 0;
  async function* epoch(): AsyncGenerator<SourceBatch> {
    const batchesOfEpoch = typeof source === 'function' ? source() : source;
    let count = 0;
    for await (const batch of batchesOfEpoch as AsyncIterable<TrainingBatch>) {
      const at = `batch ${count} of epoch ${read + 1}`;
      if (batch === null || typeof batch !== 'object') fail('INVALID_ARGUMENT', `${where}: ${at} is ${String(batch)}; expected { x, y }`);
      const x = checkInputs(batch.x, `${at} x`, where, features, model.dtype);
      const { targets, made } = checkTargets(batch.y, model.loss!, x.shape[0], outputs, model.dtype, where, `${at} y`, (n) => rows.get(n));
      count++;
      try {
        yield { x, y: targets };
      } finally {
        made?.dispose(); // a custom loss's class ids given as an array: used by this batch only
      }
    }
    read++;
    // A generator can be read once: a second epoch would silently train on nothing.
    if (count === 0) {
      fail('INVALID_ARGUMENT', `${where}: the batch iterable yielded no batches in epoch ${read}; pass something readable once per epoch (batches(), an array, or a function returning a fresh stream)`);
    }
  }
  return { length: undefined, examples: undefined, epoch: () => epoch(), dispose: () => rows.dispose() };
}
