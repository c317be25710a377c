import { beforeAll, describe, expect, test } from 'vitest';
import { describeValue, tensorHint } from './describe-value';
import { add, init, tensor } from './index';

beforeAll(() => init());

describe('describeValue', () => {
  test.each([
    [5, '5'],
    [-0.5, '-0.5'],
    [Number.NaN, 'NaN'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    ['5', "'5' (a string)"],
    ['', "'' (a string)"],
    ['x'.repeat(45), `'${'x'.repeat(40)}…' (a string of 45 characters)`],
    [null, 'null'],
    [undefined, 'undefined'],
    [true, 'true (a boolean)'],
    [10n, '10n (a bigint)'],
    [[1, 2, 3], 'an array of 3 items'],
    [[7], 'an array of 1 item'],
    [[], 'an empty array'],
    [new Float32Array(4), 'a Float32Array of 4 values'],
    [{ lr: 0.1, beta: 0.9 }, 'an object with keys lr, beta'],
    [{ a: 1, b: 2, c: 3, d: 4, e: 5 }, 'an object with keys a, b, c, d, …'],
    [{}, 'an empty object'],
    [new Map(), 'a Map'],
    [function step() {}, 'the function step'],
  ])('%o → %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });

  test('a Tensor by its shape', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(describeValue(t)).toBe('a Tensor of shape [2, 3]');
    t.dispose();
    expect(describeValue(t)).toBe('a disposed Tensor of shape [2, 3]');
  });

  test('the hint on making a Tensor is given for arrays only', () => {
    expect(tensorHint([1, 2])).toBe('; make a Tensor of it with tensor(values, shape), e.g. tensor([1, 2, 3, 4], [2, 2])');
    expect(tensorHint(new Float64Array(2))).toBe(tensorHint([1]));
    expect(tensorHint('x')).toBe('');
    expect(tensorHint(null)).toBe('');
  });
});

test('an op given a plain array says what it got and how to make a Tensor', () => {
  expect(() => add([1, 2] as never, tensor([1, 2], [2]))).toThrow(
    "add(): a must be a Tensor, got an array of 2 items; make a Tensor of it with tensor(values, shape), e.g. tensor([1, 2, 3, 4], [2, 2])",
  );
});
