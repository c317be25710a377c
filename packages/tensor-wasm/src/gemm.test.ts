import { beforeAll, describe, expect, test } from 'vitest';
import { init, matmul, memory, NnkitError, tensor, zeros, type DType } from './index';
import { maxRelativeError, randomValues, referenceMatmul, TOLERANCE } from './test-support/reference';

beforeAll(() => init());

// Shapes cover 1×1, sizes that are not multiples of 5 or 8 (the 5×8 micro-tile), nor of 4 (the 4×4 / 2×2
// register transposes of packing, which leave a k tail and partial groups of 4 rows or columns),
// k beyond the 256-deep packing block, n beyond the f64 (64) and f32 (128) column blocks, and m
// beyond the 60-row block.
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1], [1, 7, 3], [5, 1, 9], [3, 5, 2], [4, 8, 16], [7, 9, 13], [17, 31, 5], [6, 6, 11], [9, 12, 6],
  [64, 64, 64], [65, 33, 300], [33, 260, 17], [130, 129, 70], [3, 300, 257],
];
const DTYPES: DType[] = ['float32', 'float64'];
const TRANSPOSES: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

describe.each(DTYPES)('matmul %s', (dtype) => {
  test.each(TRANSPOSES)('transposeA=%s transposeB=%s matches the float64 reference on every shape', (transA, transB) => {
    for (const [m, n, k] of SHAPES) {
      const av = randomValues(m * k, m * 131 + k);
      const bv = randomValues(k * n, n * 17 + k + 5);
      const a = tensor(av, transA ? [k, m] : [m, k], dtype);
      const b = tensor(bv, transB ? [n, k] : [k, n], dtype);
      const c = matmul(a, b, { transposeA: transA, transposeB: transB });
      expect(c.shape).toEqual([m, n]);
      const ref = referenceMatmul(av, bv, m, n, k, transA, transB);
      expect(maxRelativeError(c.toArray(), ref.values, ref.magnitude), `${m}×${n}×${k}`).toBeLessThanOrEqual(
        dtype === 'float32' ? TOLERANCE.float32 * Math.sqrt(k) : TOLERANCE.float64,
      );
      a.dispose();
      b.dispose();
      c.dispose();
    }
  });

  test('accumulate adds into out; out is reused', () => {
    const a = tensor([1, 2, 3, 4], [2, 2], dtype);
    const b = tensor([5, 6, 7, 8], [2, 2], dtype);
    const out = tensor([1, 1, 1, 1], [2, 2], dtype);
    // [1 2; 3 4]·[5 6; 7 8] = [19 22; 43 50], plus the ones already there.
    expect(matmul(a, b, { out, accumulate: true })).toBe(out);
    expect(Array.from(out.toArray())).toEqual([20, 23, 44, 51]);
    matmul(a, b, { out });
    expect(Array.from(out.toArray())).toEqual([19, 22, 43, 50]);
  });

  test('k = 0 gives zeros', () => {
    const c = matmul(zeros([3, 0], dtype), zeros([0, 2], dtype));
    expect(Array.from(c.toArray())).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('matmul errors', () => {
  test('inner dimensions differ: the message shows both shapes', () => {
    const a = zeros([2, 3]);
    const b = zeros([4, 5]);
    expect(() => matmul(a, b)).toThrow(/a \[2, 3\] has 3 columns, b \[4, 5\] has 4 rows/);
    expect(() => matmul(a, b, { transposeA: true })).toThrow(NnkitError);
  });
  test('mixing dtypes, non-2-D operands, a wrong out, and use after dispose are refused', () => {
    const a = zeros([2, 2]);
    const b = zeros([2, 2], 'float64');
    expect(() => matmul(a, b)).toThrow(expect.objectContaining({ code: 'DTYPE_MISMATCH' }));
    expect(() => matmul(zeros([2]), a)).toThrow(expect.objectContaining({ code: 'INVALID_SHAPE' }));
    expect(() => matmul(a, a, { out: zeros([3, 2]) })).toThrow(/out has shape \[3, 2\] float32; expected \[2, 2\] float32/);
    expect(() => matmul(a, a, { accumulate: true })).toThrow(/needs an out/);
    const c = zeros([2, 2]);
    c.dispose();
    expect(() => matmul(a, c)).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
  });
  test('no memory is lost by a failed call', () => {
    const a = zeros([2, 3]);
    const before = memory();
    expect(() => matmul(a, a)).toThrow(NnkitError);
    expect(memory()).toEqual(before);
  });
});
