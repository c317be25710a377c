import { beforeAll, describe, expect, test } from 'vitest';
import { init, logSoftmax, softmax, tensor, zeros, type DType } from './index';
import { maxRelativeError, randomValues } from './test-support/reference';

beforeAll(() => init());

function referenceLogSoftmax(row: number[]): number[] {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
}

describe.each(['float32', 'float64'] as DType[])('%s', (dtype) => {
  test('softmax and logSoftmax of random rows match the reference; rows sum to 1', () => {
    for (const [rows, cols] of [[1, 1], [3, 5], [17, 10], [4, 301]]) {
      const values = randomValues(rows * cols, cols).map((v) => v * 8);
      const x = tensor(values, [rows, cols], dtype);
      const want: number[] = [];
      for (let r = 0; r < rows; r++) want.push(...referenceLogSoftmax(values.slice(r * cols, (r + 1) * cols)));
      const tol = dtype === 'float32' ? 2e-6 : 1e-14;
      expect(maxRelativeError(logSoftmax(x).toArray(), want, want.map((w) => Math.max(1, Math.abs(w))))).toBeLessThanOrEqual(tol);
      const p = Array.from(softmax(x).toArray());
      expect(maxRelativeError(p, want.map(Math.exp))).toBeLessThanOrEqual(tol * 4);
      for (let r = 0; r < rows; r++) {
        expect(p.slice(r * cols, (r + 1) * cols).reduce((a, b) => a + b, 0)).toBeCloseTo(1, dtype === 'float32' ? 5 : 12);
      }
    }
  });

  test('logits of ±1000 stay finite: log-softmax([1000, 0, -1000]) = [0, -1000, -2000]', () => {
    const x = tensor([1000, 0, -1000, -1000, -1000, -1000], [2, 3], dtype);
    expect(Array.from(logSoftmax(x).toArray()).slice(0, 3)).toEqual([0, -1000, -2000]);
    const p = Array.from(softmax(x).toArray());
    expect(p.slice(0, 3)).toEqual([1, 0, 0]);
    for (const v of p.slice(3)) expect(v).toBeCloseTo(1 / 3, 6);
  });
});

test('only the last axis is supported, and says so', () => {
  expect(() => softmax(zeros([2, 3]), 0)).toThrow(/axis 0 is not supported for shape \[2, 3\]; only the last axis/);
});
