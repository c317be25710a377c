// Messages describe what they received: strings quoted and called strings, disposed tensors and
// plain arrays by what they are.
import { init, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { earlyStopping, l2 } from './index';

beforeAll(() => init());

test('a number given as a string is quoted and called a string', () => {
  expect(() => earlyStopping({ patience: '3' as never })).toThrow("earlyStopping(): patience '3' (a string) must be an integer ≥ 0");
  expect(() => l2('0.7' as never)).toThrow("l2(): lambda '0.7' (a string) must be a finite number ≥ 0");
});

test('a disposed tensor and a plain array are named as such', () => {
  const w = tensor([1, 2], [2]);
  const g = tensor([0, 0], [2]);
  g.dispose();
  expect(() => l2(0.1).addGrad(w, g, 10)).toThrow('l2.addGrad(): g must be a live Tensor, got a disposed Tensor of shape [2]');
  expect(() => l2(0.1).addGrad(w, [0, 0] as never, 10)).toThrow(
    'l2.addGrad(): g must be a live Tensor, got an array of 2 items; make a Tensor of it with tensor(values, shape), e.g. tensor([1, 2, 3, 4], [2, 2])',
  );
});
