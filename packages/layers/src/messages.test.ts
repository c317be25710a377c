// Error messages describe what they received: a string is quoted and called a string (the string '5'
// is not the number 5), null and NaN are named, and a plain array where a Tensor is wanted comes with
// how to make a Tensor of it.
import { init, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { dense, dropout, sequential } from './index';

beforeAll(() => init());

const model = () => sequential([dense(2)], { inputShape: [2], seed: 1 });
const MAKE_TENSOR = '; make a Tensor of it with tensor(values, shape), e.g. tensor([1, 2, 3, 4], [2, 2])';

test("fit(): epochs '5' is a string, not 5", async () => {
  const m = model();
  m.compile({ loss: 'meanSquaredError', optimizer: { step() {} } as never });
  const x = tensor([1, 2, 3, 4], [2, 2]);
  const y = tensor([1, 0, 0, 1], [2, 2]);
  await expect(m.fit(x, y, { epochs: '5' as never })).rejects.toThrow("fit(): epochs must be an integer ≥ 0, got '5' (a string)");
  await expect(m.fit(x, y, { epochs: 1, batchSize: '32' as never })).rejects.toThrow("fit(): batchSize must be a positive integer, got '32' (a string)");
  await expect(m.fit(x, y, { epochs: Number.NaN })).rejects.toThrow('fit(): epochs must be an integer ≥ 0, got NaN');
});

test('layer options name NaN, strings and objects by what they are', () => {
  expect(() => dropout(Number.NaN)).toThrow('dropout(): rate must be a number in [0, 1], got NaN');
  expect(() => dropout('0.5' as never)).toThrow("dropout(): rate must be a number in [0, 1], got '0.5' (a string)");
  expect(() => dense('10' as never)).toThrow("dense(): units must be a positive integer, got '10' (a string)");
  expect(() => dense({ units: 10 } as never)).toThrow('dense(): units must be a positive integer, got an object with keys units');
});

test('a plain array where a Tensor is wanted says how to make a Tensor', () => {
  expect(() => model().predict([[1, 2]] as never)).toThrow(`predict(): x must be a Tensor [examples, 2], got an array of 1 item${MAKE_TENSOR}`);
});
