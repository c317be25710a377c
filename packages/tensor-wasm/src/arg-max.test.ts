// argMax against hand-picked values: ties go to the lowest index, as in NumPy, PyTorch and TF.js.
import { beforeAll, describe, expect, test } from 'vitest';
import { argMax } from './arg-max';
import { init } from './backend';
import { tensor } from './creation';
import { NnkitError } from './errors';

beforeAll(() => init());

describe('argMax', () => {
  test('one index per row by default', () => {
    // rows: [0.1, 0.7, 0.2] → 1; [0.5, 0.3, -2] → 0; [-3, -1, -2] → 1
    const x = tensor([0.1, 0.7, 0.2, 0.5, 0.3, -2, -3, -1, -2], [3, 3]);
    expect(Array.from(argMax(x))).toEqual([1, 0, 1]);
    expect(Array.from(argMax(x, 1))).toEqual([1, 0, 1]);
  });

  test('ties go to the lowest index', () => {
    // [2, 5, 5] → 1 (not 2); [7, 7, 7] → 0; [0, -0, 0] → 0
    expect(Array.from(argMax(tensor([2, 5, 5, 7, 7, 7, 0, -0, 0], [3, 3])))).toEqual([1, 0, 0]);
  });

  test('down the columns with axis 0, and in float64', () => {
    // columns: [0.1, 0.5] → 1; [0.7, 0.3] → 0; [0.2, 0.2] → 0 (tie)
    expect(Array.from(argMax(tensor([0.1, 0.7, 0.2, 0.5, 0.3, 0.2], [2, 3], 'float64'), 0))).toEqual([1, 0, 0]);
  });

  test('a middle axis of a rank-3 tensor', () => {
    // x[o][j][i]: o = 0: j-slices [1, 9] [4, 2] [4, 9] → i=0: 4 at j=1 (tie with j=2 → 1); i=1: 9 at j=0
    //             o = 1: [0, 0] [0, 1] [3, 0]          → i=0: j=2; i=1: j=1
    const x = tensor([1, 9, 4, 2, 4, 9, 0, 0, 0, 1, 3, 0], [2, 3, 2]);
    expect(Array.from(argMax(x, 1))).toEqual([1, 0, 2, 1]);
  });

  test('a Tensor [k] gives one index; ±Infinity compare as numbers', () => {
    expect(Array.from(argMax(tensor([Number.NEGATIVE_INFINITY, -1, Number.POSITIVE_INFINITY, 3], [4])))).toEqual([2]);
  });

  test('bad input names the problem', () => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof NnkitError ? `${e.code}: ${e.message}` : String(e);
      }
      return 'no error';
    };
    expect(codeOf(() => argMax(tensor([1, Number.NaN, 0, 2], [2, 2])))).toBe(
      'NON_FINITE: argMax(): x has NaN at row 0, column 1; expected numbers that can be compared',
    );
    expect(codeOf(() => argMax(tensor([1, 2], [2]), 1))).toMatch(/^INVALID_ARGUMENT: argMax\(\): axis 1 is out of range for shape \[2\]/);
    expect(codeOf(() => argMax(tensor([], [2, 0])))).toMatch(/^INVALID_SHAPE: .*is empty/);
    expect(codeOf(() => argMax(tensor([3], [])))).toMatch(/^INVALID_SHAPE: argMax\(\): x is a scalar/);
    expect(codeOf(() => argMax([1, 2] as never))).toMatch(/^INVALID_ARGUMENT: argMax\(\): x must be a Tensor/);
    const t = tensor([1, 2], [1, 2]);
    t.dispose();
    expect(codeOf(() => argMax(t))).toMatch(/^DISPOSED/);
  });
});
