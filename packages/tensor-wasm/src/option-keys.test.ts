// checkOptionKeys by hand: misspelt keys are named with the valid ones.
import { expect, test } from 'vitest';
import { NnkitError } from './errors';
import { checkOptionKeys } from './option-keys';

const messageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof NnkitError ? `${e.code}: ${e.message}` : String(e);
  }
  return 'no error';
};

test('known keys pass and come back; undefined is no options', () => {
  const o = { learningRate: 0.1 };
  expect(checkOptionKeys(o, ['learningRate', 'beta'], 'sgd()')).toBe(o);
  expect(checkOptionKeys(undefined, ['learningRate'], 'sgd()')).toEqual({});
});

test('a misspelt key is named, with the near miss and every valid key', () => {
  expect(messageOf(() => checkOptionKeys({ learningrate: 0.1 }, ['learningRate', 'beta'], 'momentum()'))).toBe(
    'INVALID_ARGUMENT: momentum(): unknown option "learningrate" (did you mean "learningRate"?); expected one of learningRate, beta',
  );
  expect(messageOf(() => checkOptionKeys({ epoch: 3 }, ['epochs', 'batchSize'], 'fit()'))).toBe(
    'INVALID_ARGUMENT: fit(): unknown option "epoch" (did you mean "epochs"?); expected one of epochs, batchSize',
  );
  // Of two keys it begins, the shortest: 'trials', not 'trialTimeoutMs'.
  expect(messageOf(() => checkOptionKeys({ trial: 3 }, ['trialTimeoutMs', 'trials'], 'f()'))).toBe(
    'INVALID_ARGUMENT: f(): unknown option "trial" (did you mean "trials"?); expected one of trialTimeoutMs, trials',
  );
  expect(messageOf(() => checkOptionKeys({ lr: 3 }, ['learningRate'], 'sgd()'))).toBe(
    'INVALID_ARGUMENT: sgd(): unknown option "lr"; expected one of learningRate',
  );
});

test('options that are not an object', () => {
  expect(messageOf(() => checkOptionKeys(5, ['a'], 'f()'))).toBe('INVALID_ARGUMENT: f(): options must be an object, got 5');
  expect(messageOf(() => checkOptionKeys([1], ['a'], 'f()'))).toMatch(/^INVALID_ARGUMENT: f\(\): options must be an object/);
  expect(messageOf(() => checkOptionKeys(null, ['a'], 'f()'))).toMatch(/^INVALID_ARGUMENT: f\(\): options must be an object, got null/);
});
