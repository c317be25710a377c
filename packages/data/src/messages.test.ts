// Messages describe what they received: strings quoted and called strings, plain arrays where a
// Tensor is wanted with how to make one.
import { init, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { moons, oneHot, split, standardizer } from './index';

beforeAll(() => init());

test('a number given as a string is quoted and called a string', () => {
  expect(() => oneHot([0, 1], '3' as never)).toThrow("oneHot(): classes '3' (a string) must be a positive integer");
  expect(() => moons({ n: '100' as never })).toThrow(/moons\(\): n '100' \(a string\) must be an integer ≥ \d+$/);
  expect(() => moons({ n: 100, seed: -1 })).toThrow('moons(): seed -1 must be a non-negative safe integer');
});

test('a plain array where a Tensor is wanted says how to make one', () => {
  const hint = '; make a Tensor of it with tensor(values, shape), e.g. tensor([1, 2, 3, 4], [2, 2])';
  expect(() => split([[1, 2], [3, 4]] as never, [0, 1], { dev: 0.5 })).toThrow(`split(): x must be a Tensor [m, …], got an array of 2 items${hint}`);
  expect(() => standardizer().fit(new Float32Array(4) as never)).toThrow(`standardizer().fit(): xTrain must be a Tensor [m, …], got a Float32Array of 4 values${hint}`);
  expect(() => split(tensor([1, 2, 3, 4], [2, 2]), [0, 1], { dev: '0.5' as never })).toThrow(/dev '0\.5' \(a string\) must be a fraction in \[0, 1\] or a count of examples/);
});
