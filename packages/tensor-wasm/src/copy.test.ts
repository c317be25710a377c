import { beforeAll, describe, expect, test } from 'vitest';
import { cast, clone, fill, gatherRows, init, tensor, transpose, zeros, type DType } from './index';
import { randomValues } from './test-support/reference';

beforeAll(() => init());

describe.each(['float32', 'float64'] as DType[])('%s', (dtype) => {
  test('2-D transpose of blocked and odd sizes moves every element', () => {
    for (const [r, c] of [[1, 1], [1, 9], [17, 33], [64, 300]]) {
      const v = randomValues(r * c, r + c);
      const t = Array.from(transpose(tensor(v, [r, c], dtype)).toArray());
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) expect(t[j * r + i]).toBe(Math.fround(v[i * c + j]));
    }
  });

  test('transpose with a permutation of three axes', () => {
    // x[i][j][k] = 100i + 10j + k, shape [2, 3, 4]; perm [2, 0, 1] gives y[k][i][j] = x[i][j][k].
    const v: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) v.push(100 * i + 10 * j + k);
    const y = transpose(tensor(v, [2, 3, 4], dtype), [2, 0, 1]);
    expect(y.shape).toEqual([4, 2, 3]);
    const a = Array.from(y.toArray());
    for (let k = 0; k < 4; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expect(a[(k * 2 + i) * 3 + j]).toBe(100 * i + 10 * j + k);
  });

  test('gatherRows picks rows by index, repeats allowed', () => {
    const x = tensor([0, 1, 10, 11, 20, 21, 30, 31], [4, 2], dtype);
    expect(Array.from(gatherRows(x, [3, 0, 3]).toArray())).toEqual([30, 31, 0, 1, 30, 31]);
    const out = zeros([2, 2], dtype);
    expect(gatherRows(x, Int32Array.from([2, 1]), { out })).toBe(out);
    expect(Array.from(out.toArray())).toEqual([20, 21, 10, 11]);
  });

  test('clone copies; cast converts; fill sets', () => {
    const x = tensor([1.5, -2, 1 / 3], [3], dtype);
    const y = clone(x);
    x.assign([0, 0, 0]);
    expect(Array.from(y.toArray())).toEqual([1.5, -2, dtype === 'float32' ? Math.fround(1 / 3) : 1 / 3]);
    const other = dtype === 'float32' ? 'float64' : 'float32';
    expect(cast(y, other).dtype).toBe(other);
    expect(Array.from(fill(y, 7).toArray())).toEqual([7, 7, 7]);
  });
});

test('gatherRows refuses an index out of range, naming it', () => {
  expect(() => gatherRows(zeros([3, 2]), [0, 3])).toThrow(/index 3 at position 1 is outside \[0, 3\)/);
});
test('transpose refuses a non-permutation', () => {
  expect(() => transpose(zeros([2, 3]), [0, 0])).toThrow(/perm \[0, 0\] is not a permutation/);
});
