// The public surface is what the README documents; internals (samplers, replay, the generator)
// are imported from their own files by the tests that need them.
import { expect, test } from 'vitest';
import * as tuning from './index';

test('the index exports the documented values and nothing else', () => {
  expect(Object.keys(tuning).sort()).toEqual(
    [
      'NnkitError', 'TrialPruned', 'Study',
      'choice', 'intLogUniform', 'intUniform', 'logUniform', 'oneMinusLogUniform', 'uniform', 'when',
      'search', 'randomSearch', 'gridSearch', 'coarseToFine', 'successiveHalving', 'hyperband', 'loadStudy',
      'medianPruner', 'percentilePruner', 'memoryStorage', 'journalStorage', 'optunaJournal',
      'journalFile', 'redisStorage',
    ].sort(),
  );
});

test("the search's generator is not exported under tensor-wasm's name createRng", () => {
  expect('createRng' in tuning).toBe(false);
});
