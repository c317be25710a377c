// The standardizer against scikit-learn's StandardScaler (test/fixtures/reference-data.json).
import { init, memory, NnkitError, tensor, zeros } from '@nnkit/tensor-wasm';
import { describe, expect, test } from 'vitest';
import reference from '../test/fixtures/reference-data.json';
import { standardizer } from './standardizer';

await init();

const ref = reference.standardizer;
const DIGITS = 12;
// float32 inputs carry 7 significant digits; values near 100 lose about 5 decimals.
const FLOAT32_DIGITS = 4;

const close = (got: ArrayLike<number>, want: number[], digits: number) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], digits);
};

describe('against StandardScaler', () => {
  test('mean and std from train only; dev transformed with them (float64)', () => {
    const train = tensor(ref.train, [ref.train.length / ref.features, ref.features], 'float64');
    const dev = tensor(ref.dev, [ref.dev.length / ref.features, ref.features], 'float64');
    const s = standardizer().fit(train);
    close(s.mean.toArray(), ref.mean, DIGITS);
    close(s.std.toArray(), ref.std, DIGITS);
    close(s.scale.toArray(), ref.scale, DIGITS);
    close(s.transform(dev).toArray(), ref.devTransformed, DIGITS);
    // into a preallocated tensor: the same numbers, nothing allocated
    const out = zeros([7, 4], 'float64');
    const before = memory().tensors;
    expect(s.transform(dev, out)).toBe(out);
    expect(memory().tensors).toBe(before);
    close(out.toArray(), ref.devTransformed, DIGITS);
  });
  test('the constant feature is centred, not divided by zero', () => {
    const train = tensor(ref.train, [50, 4], 'float64');
    const s = standardizer().fit(train);
    expect(s.std.toArray()[2]).toBe(0);
    expect(s.scale.toArray()[2]).toBe(1);
    const z = s.transform(train).toArray();
    for (let i = 0; i < 50; i++) expect(z[i * 4 + 2]).toBe(0);
  });
  test('float32 data, and inverse undoes transform', () => {
    const train = tensor(ref.train, [50, 4]);
    const s = standardizer().fit(train);
    close(s.mean.toArray(), ref.mean, FLOAT32_DIGITS);
    const z = s.transform(train);
    const zs = z.toArray();
    for (let j = 0; j < 4; j++) {
      let mean = 0;
      let sq = 0;
      for (let i = 0; i < 50; i++) mean += zs[i * 4 + j] / 50;
      for (let i = 0; i < 50; i++) sq += (zs[i * 4 + j] - mean) ** 2 / 50;
      expect(mean).toBeCloseTo(0, 5);
      expect(Math.sqrt(sq)).toBeCloseTo(j === 2 ? 0 : 1, 5);
    }
    close(s.inverse(z).toArray(), Array.from(train.toArray()), FLOAT32_DIGITS);
  });
  test('images [m, h, w] standardize per pixel; dispose frees the statistics', () => {
    const x = tensor([0, 1, 2, 3, 4, 5, 6, 7], [2, 2, 2]);
    const before = memory().tensors;
    const s = standardizer().fit(x);
    expect(s.mean.shape).toEqual([2, 2]);
    expect(Array.from(s.mean.toArray())).toEqual([2, 3, 4, 5]);
    expect(Array.from(s.std.toArray())).toEqual([2, 2, 2, 2]);
    s.dispose();
    expect(memory().tensors).toBe(before);
  });
});

describe('bad input', () => {
  test('NaN features are named', () => {
    expect(() => standardizer().fit(tensor([1, 2, Number.NaN, 4], [2, 2]))).toThrow(/xTrain has NaN at row 1, feature 0/);
  });
  test('data of another shape or dtype than the fitted one', () => {
    const s = standardizer().fit(tensor([1, 2, 3, 4], [2, 2]));
    expect(() => s.transform(tensor([1, 2, 3], [1, 3]))).toThrow(NnkitError);
    expect(() => s.transform(tensor([1, 2, 3], [1, 3]))).toThrow(/rows of shape \[3\] float32; the standardizer was fitted on \[2\] float32/);
    expect(() => s.transform(tensor([1, 2], [1, 2], 'float64'))).toThrow(/fitted on \[2\] float32/);
    expect(() => standardizer().fit(tensor([], [0, 3]))).toThrow(/xTrain has no rows/);
  });
});
