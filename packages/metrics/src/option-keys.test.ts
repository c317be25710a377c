// The metrics refuse an option they do not know, naming the valid ones.
import { init } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { accuracy, confusionMatrix, diagnose, ewma, f1, formatConfusionMatrix, logLoss, precision } from './index';

beforeAll(() => init());

test('a misspelt option is named with the valid ones', () => {
  expect(() => accuracy([0, 1], [0.2, 0.7], { treshold: 0.5 } as never)).toThrow('accuracy(): unknown option "treshold"; expected one of threshold, fromLogits');
  expect(() => f1([0, 1], [0, 1], { averge: 'macro' } as never)).toThrow(
    'f1(): unknown option "averge"; expected one of threshold, fromLogits, average, positiveLabel, classes, zeroDivision',
  );
  expect(() => precision([0, 1], [0, 1], { Average: 'macro' } as never)).toThrow('precision(): unknown option "Average" (did you mean "average"?)');
  expect(() => confusionMatrix([0, 1], [0, 1], { numClasses: 2 } as never)).toThrow(
    'confusionMatrix(): unknown option "numClasses"; expected one of threshold, fromLogits, classes',
  );
  expect(() => formatConfusionMatrix([[1]], { names: ['a'] } as never)).toThrow('formatConfusionMatrix(): unknown option "names"; expected one of labels');
  expect(() => logLoss([0], [0.5], { eps: 1e-7 } as never)).toThrow('logLoss(): unknown option "eps" (did you mean "epsilon"?)');
  expect(() => ewma([1, 2], 0.9, { biascorrection: true } as never)).toThrow('ewma(): unknown option "biascorrection" (did you mean "biasCorrection"?)');
  expect(() => diagnose({ trainError: 0.1, devError: 0.2, humanError: 0.01 } as never)).toThrow(
    'diagnose(): unknown option "humanError"; expected one of trainError, devError, bayesError, trainDevError, testError, threshold',
  );
});
