import { beforeAll, describe, expect, test } from 'vitest';
import { concat, type DType, grads, init, mul, NnkitError, scope, sum, tensor, type Tensor } from './index';

beforeAll(() => init());

const values = (t: Tensor) => Array.from(t.toArray());

describe.each(['float32', 'float64'] as DType[])('concat, %s', (dtype) => {
  test('along the rows, the columns and a middle axis (written out by hand)', () => {
    scope(() => {
      const a = tensor([1, 2, 3, 4], [2, 2], dtype);
      const b = tensor([5, 6], [1, 2], dtype);
      const c = tensor([7, 8, 9, 10, 11, 12], [2, 3], dtype);
      const rows = concat([a, b]);
      expect(rows.shape).toEqual([3, 2]);
      expect(rows.dtype).toBe(dtype);
      expect(values(rows)).toEqual([1, 2, 3, 4, 5, 6]);
      const cols = concat([a, c], -1);
      expect(cols.shape).toEqual([2, 5]);
      expect(values(cols)).toEqual([1, 2, 7, 8, 9, 3, 4, 10, 11, 12]);
      // [2, 1, 2] and [2, 2, 2] along axis 1: per outer index, a's row then d's two rows.
      const d = tensor([20, 21, 22, 23, 24, 25, 26, 27], [2, 2, 2], dtype);
      const mid = concat([a.reshape([2, 1, 2]), d], 1);
      expect(mid.shape).toEqual([2, 3, 2]);
      expect(values(mid)).toEqual([1, 2, 20, 21, 22, 23, 3, 4, 24, 25, 26, 27]);
      expect(values(concat([b]))).toEqual([5, 6]);
      // An empty part and 1-D inputs.
      expect(values(concat([tensor([], [0], dtype), tensor([1, 2], [2], dtype), tensor([3], [1], dtype)]))).toEqual([1, 2, 3]);
    });
  });

  test('writes into out', () => {
    scope(() => {
      const out = tensor([0, 0, 0, 0], [2, 2], dtype);
      expect(concat([tensor([1, 2], [2, 1], dtype), tensor([3, 4], [2, 1], dtype)], 1, { out })).toBe(out);
      expect(values(out)).toEqual([1, 3, 2, 4]);
    });
  });

  test('the gradient of each input is its slice of dy; a tensor joined twice gets both slices', () => {
    scope(() => {
      const a = tensor([1, 2, 3, 4], [2, 2], dtype);
      const b = tensor([5, 6, 7, 8, 9, 10], [2, 3], dtype);
      const w = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], [2, 7], dtype);
      // [a, b, a] along the columns: a gets w's columns 0-1 plus 5-6.
      const [ga, gb] = grads((p, q) => sum(mul(concat([p, q, p], 1), w)))([a, b]);
      expect(values(ga)).toEqual([1 + 6, 2 + 7, 8 + 13, 9 + 14]);
      expect(values(gb)).toEqual([3, 4, 5, 10, 11, 12]);
    });
  });
});

describe('concat: bad input', () => {
  const error = (fn: () => unknown): NnkitError => {
    try {
      scope(fn);
    } catch (e) {
      expect(e).toBeInstanceOf(NnkitError);
      return e as NnkitError;
    }
    throw new Error('expected an NnkitError');
  };
  const t = (shape: number[], dtype: DType = 'float64') => tensor(new Array(shape.reduce((p, d) => p * d, 1)).fill(1), shape, dtype);

  test('names the bad tensor, its shape and the expected one', () => {
    const e = error(() => concat([t([2, 3]), t([2, 3]), t([3, 3])], 1));
    expect(e.code).toBe('SHAPE_MISMATCH');
    expect(e.message).toBe('concat(): tensors[2] has shape [3, 3], tensors[0] has [2, 3]; joining along axis 1 needs shapes [2, *] (equal except on the axis)');
    expect(error(() => concat([t([2, 3]), t([2, 3, 1])])).code).toBe('SHAPE_MISMATCH');
  });

  test('mixed dtypes, an empty list, a non-Tensor, a scalar, a bad axis, out aliasing an input', () => {
    const e = error(() => concat([t([2]), t([2], 'float32')]));
    expect(e.code).toBe('DTYPE_MISMATCH');
    expect(e.message).toMatch(/concat\(\): tensors\[1\] is float32 but tensors\[0\] is float64/);
    expect(error(() => concat([])).message).toMatch(/concat\(\): tensors must be a non-empty array of Tensors/);
    expect(error(() => concat([t([2]), [1, 2] as unknown as Tensor])).message).toMatch(/concat\(\): tensors\[1\] must be a Tensor/);
    expect(error(() => concat([t([])])).code).toBe('INVALID_SHAPE');
    const axis = error(() => concat([t([2, 2])], 2));
    expect(axis.code).toBe('INVALID_ARGUMENT');
    expect(axis.message).toMatch(/axis 2 is out of range for shape \[2, 2\]/);
    const x = t([2, 2]);
    expect(error(() => concat([x.rows(0, 1), x.rows(1, 2)], 0, { out: x })).message).toMatch(/out must not be/);
  });
});
