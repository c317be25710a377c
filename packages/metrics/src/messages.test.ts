// Messages describe what they received: strings quoted and called strings, plain arrays where a
// Tensor is wanted with how to make one.
import { init } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { accuracy, diagnose, ewma, topKAccuracy } from './index';

beforeAll(() => init());

test('a number given as a string is quoted and called a string', () => {
  expect(() => diagnose({ trainError: '0.1' as never, devError: 0.2 })).toThrow(/^diagnose\(\): trainError '0\.1' \(a string\) must be a fraction in \[0, 1\]/);
  expect(() => ewma([1, 2], '0.9' as never)).toThrow("ewma(): beta '0.9' (a string) must be a number in [0, 1)");
  expect(() => ewma([1, '2' as never], 0.9)).toThrow("ewma(): value '2' (a string) at position 1 is not a number");
});

test('objects and plain arrays are described, with how to make a Tensor', () => {
  expect(() => accuracy({ labels: [0, 1] } as never, [0, 1])).toThrow('accuracy(): yTrue must be an array of class ids or a Tensor, got an object with keys labels');
  expect(() => topKAccuracy([0, 1], [[0.2, 0.8], [0.6, 0.4]] as never, 1)).toThrow(
    'topKAccuracy(): yScores must be a Tensor [m, classes], got an array of 2 items; make a Tensor of it with tensor(values, shape), e.g. tensor([1, 2, 3, 4], [2, 2])',
  );
});
