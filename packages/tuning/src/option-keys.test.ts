// The searches and factories refuse an option they do not know, naming the valid ones, before any
// trial runs.
import { expect, test } from 'vitest';
import { coarseToFine, gridSearch, hyperband, journalStorage, medianPruner, percentilePruner, randomSearch, successiveHalving, uniform } from './index';

const space = { x: uniform(0, 1) };
const objective = ({ x }: { x: number }) => x;
const COMMON = 'seed, direction, concurrency, storage, pruner, progress, onTrialEnd, onWarning, trialTimeoutMs, maxRetries';

test('a misspelt search option is named with the valid ones', async () => {
  await expect(randomSearch(space, objective, { trials: 3, trial: 5 } as never)).rejects.toThrow(
    `randomSearch(): unknown option "trial" (did you mean "trials"?); expected one of ${COMMON}, trials`,
  );
  await expect(randomSearch(space, objective, { trials: 3, learningrate: 0.1 } as never)).rejects.toThrow(
    'randomSearch(): unknown option "learningrate"; expected one of',
  );
  await expect(gridSearch(space, objective, { gridsize: 3 } as never)).rejects.toThrow(
    `gridSearch(): unknown option "gridsize" (did you mean "gridSize"?); expected one of ${COMMON}, gridSize, trials`,
  );
  await expect(coarseToFine(space, objective, { round: 2 } as never)).rejects.toThrow('coarseToFine(): unknown option "round" (did you mean "rounds"?)');
  const budget = { resource: 'epoch', min: 1, max: 9 };
  await expect(successiveHalving(space, objective, { ...budget, epoch: 3 } as never)).rejects.toThrow('successiveHalving(): unknown option "epoch"; expected one of');
  await expect(hyperband(space, objective, { ...budget, Eta: 3 } as never)).rejects.toThrow('hyperband(): unknown option "Eta" (did you mean "eta"?)');
});

test('pruners and storages too', () => {
  expect(() => medianPruner({ startup: 3 } as never)).toThrow(
    'medianPruner(): unknown option "startup" (did you mean "startupTrials"?); expected one of startupTrials, warmupSteps, intervalSteps, minTrials',
  );
  expect(() => percentilePruner(25, { warmup: 3 } as never)).toThrow('percentilePruner(): unknown option "warmup" (did you mean "warmupSteps"?)');
  expect(() => journalStorage('study.jsonl', { readonly: true } as never)).toThrow(
    'journalStorage(): unknown option "readonly" (did you mean "readOnly"?); expected one of readOnly',
  );
});
