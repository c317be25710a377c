// Which epochs modelCheckpoint({ saveBestOnly }) saves, fed a known sequence of epoch logs: in
// 'auto' mode an accuracy monitor keeps the maximum and a loss monitor the minimum.
import { expect, test } from 'vitest';
import type { EpochLogs, TrainableModel } from '../types';
import { modelCheckpoint, type ModelCheckpointOptions } from './checkpoint';

/** Runs the callback over `values` of `monitor` (one per epoch); returns the epochs it saved. */
async function savedEpochs(monitor: string, values: number[], opts: Partial<ModelCheckpointOptions> = {}) {
  const saved: number[] = [];
  const model = {
    stopTraining: false,
    save: async (_target: unknown, o: { epochsCompleted?: number }) => {
      saved.push(o.epochsCompleted!);
      return {};
    },
  } as unknown as TrainableModel;
  const ckpt = modelCheckpoint({ path: { save: async () => ({}) } as never, saveBestOnly: true, monitor, ...opts });
  ckpt.setModel!(model);
  for (const [epoch, value] of values.entries()) await ckpt.onEpochEnd!(epoch, { loss: 1, [monitor]: value } as EpochLogs);
  return { saved, best: ckpt.best, last: ckpt.lastSavedEpoch };
}

const accuracies = [0.5, 0.8, 0.6, 0.9, 0.7, 0.85];
const losses = [0.9, 0.5, 0.7, 0.4, 0.6, 0.45];

test.each(['valAccuracy', 'accuracy', 'val_acc'])("auto mode keeps the maximum of the accuracy monitor '%s'", async (monitor) => {
  expect(await savedEpochs(monitor, accuracies)).toEqual({ saved: [1, 2, 4], best: 0.9, last: 4 });
});

test.each(['valLoss', 'loss'])("auto mode keeps the minimum of the loss monitor '%s'", async (monitor) => {
  expect(await savedEpochs(monitor, losses)).toEqual({ saved: [1, 2, 4], best: 0.4, last: 4 });
});

test('an explicit mode overrides the name', async () => {
  expect(await savedEpochs('valAccuracy', accuracies, { mode: 'min' })).toEqual({ saved: [1], best: 0.5, last: 1 });
  expect(await savedEpochs('valLoss', losses, { mode: 'max' })).toEqual({ saved: [1], best: 0.9, last: 1 });
});
