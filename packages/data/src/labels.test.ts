// oneHot and argMax by hand, and their bad input.
import { argMax, init, NnkitError, tensor } from '@nnkit/tensor-wasm';
import { expect, test } from 'vitest';
import * as data from './index';
import { oneHot } from './labels';

await init();

test('oneHot from ids (array or Tensor), and argMax back', () => {
  const y = oneHot([0, 2, 1], 3);
  expect(y.shape).toEqual([3, 3]);
  expect(Array.from(y.toArray())).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
  expect(Array.from(argMax(y))).toEqual([0, 2, 1]);
  expect(Array.from(oneHot(tensor([1, 0], [2, 1]), 2, 'float64').toArray())).toEqual([0, 1, 1, 0]);
  expect(Array.from(argMax(tensor([0.1, 0.7, 0.2, 0.5, 0.3, 0.5], [2, 3])))).toEqual([1, 0]); // first on ties
});

test('bad input', () => {
  expect(() => oneHot([0, 3], 3)).toThrow(/label 3 at index 1 is not below classes 3/);
  expect(() => oneHot([0, 1.5], 3)).toThrow(/label 1.5 at index 1 is not a class id/);
  expect(() => oneHot([0, 1], 0)).toThrow(/classes 0 must be a positive integer/);
  expect(() => oneHot(tensor([1, 0, 0, 1], [2, 2]), 2)).toThrow(/look one-hot already/);
  expect(() => argMax(tensor([1, Number.NaN], [1, 2]))).toThrow(NnkitError);
});

test("data's argMax is tensor-wasm's: one argmax in nnkit", () => {
  expect(data.argMax).toBe(argMax);
});
