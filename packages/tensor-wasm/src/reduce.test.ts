import { beforeAll, describe, expect, test } from 'vitest';
import { init, max, mean, min, sum, tensor, zeros, type DType } from './index';
import { maxRelativeError, randomValues } from './test-support/reference';

beforeAll(() => init());

/** Reference reduction of a row-major tensor along `axis` (or all), in float64. */
function referenceReduce(values: number[], shape: number[], axis: number | undefined, f: (xs: number[]) => number): number[] {
  if (axis === undefined) return [f(values)];
  const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const n = shape[axis];
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const xs: number[] = [];
      for (let j = 0; j < n; j++) xs.push(values[(o * n + j) * inner + i]);
      out.push(f(xs));
    }
  }
  return out;
}

const OPS = [
  ['sum', sum, (xs: number[]) => xs.reduce((a, b) => a + b, 0)],
  ['mean', mean, (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length],
  ['max', max, (xs: number[]) => Math.max(...xs)],
  ['min', min, (xs: number[]) => Math.min(...xs)],
] as const;
const CASES: Array<[number[], number | undefined]> = [
  [[1], undefined], [[7], 0], [[301], undefined], [[5, 9], 0], [[5, 9], 1], [[5, 9], -1], [[64, 300], 0], [[64, 300], 1],
  [[3, 4, 5], 0], [[3, 4, 5], 1], [[3, 4, 5], 2], [[2, 1, 3], 1],
];

describe.each(['float32', 'float64'] as DType[])('%s', (dtype) => {
  test.each(OPS)('%s over every axis matches the float64 reference', (_, op, f) => {
    for (const [shape, axis] of CASES) {
      const size = shape.reduce((p, d) => p * d, 1);
      const values = randomValues(size, size + (axis ?? 9));
      const out = op(tensor(values, shape, dtype), axis);
      const a = axis === undefined ? undefined : axis < 0 ? axis + shape.length : axis;
      const want = referenceReduce(values, shape, a, f);
      const scale = referenceReduce(values.map(Math.abs), shape, a, (xs) => xs.reduce((p, q) => p + q, 0) / (_ === 'mean' ? xs.length : 1));
      expect(out.size).toBe(want.length);
      const tol = dtype === 'float32' ? 1e-6 : 1e-14;
      expect(maxRelativeError(out.toArray(), want, scale), `${shape} axis ${axis}`).toBeLessThanOrEqual(tol);
    }
  });

  test('keepDims keeps a length-1 axis; shapes follow NumPy', () => {
    const x = zeros([2, 3, 4], dtype);
    expect(sum(x, 1).shape).toEqual([2, 4]);
    expect(sum(x, 1, { keepDims: true }).shape).toEqual([2, 1, 4]);
    expect(sum(x).shape).toEqual([]);
    expect(mean(x, undefined, { keepDims: true }).shape).toEqual([1, 1, 1]);
  });
});

describe('reduce errors', () => {
  test('an axis out of range names the axis and the rank', () => {
    expect(() => sum(zeros([2, 3]), 2)).toThrow(/axis 2 is out of range for shape \[2, 3\] \(rank 2\)/);
  });
  test('max of an empty axis is refused, sum of it is 0', () => {
    expect(() => max(zeros([0, 3]), 0)).toThrow(/empty axis/);
    expect(Array.from(sum(zeros([0, 3]), 0).toArray())).toEqual([0, 0, 0]);
  });
});
