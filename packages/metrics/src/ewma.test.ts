// Exponentially weighted averages against values worked out by hand.
import { NnkitError } from '@nnkit/tensor-wasm';
import { describe, expect, test } from 'vitest';
import { ewma, ewmaStream } from './ewma';

const DIGITS = 14;

describe('ewma', () => {
  test('without bias correction: v_t = β·v_{t−1} + (1−β)·θ_t from v_0 = 0', () => {
    // β = 0.5: 0.5·1 = 0.5; 0.25 + 0.5·2 = 1.25; 0.625 + 0.5·3 = 2.125
    expect(ewma([1, 2, 3], 0.5, { biasCorrection: false })).toEqual([0.5, 1.25, 2.125]);
  });
  test('with bias correction: v_t / (1 − β^t)', () => {
    const got = ewma([1, 2, 3], 0.5);
    [1, 1.25 / 0.75, 2.125 / 0.875].forEach((v, i) => {
      expect(got[i]).toBeCloseTo(v, DIGITS);
    });
  });
  test('the course example: a constant series is averaged exactly once corrected', () => {
    const got = ewma(new Array(50).fill(7), 0.98);
    for (const v of got) expect(v).toBeCloseTo(7, 12);
    expect(ewma([7, 7], 0.98, { biasCorrection: false })[0]).toBeCloseTo(0.14, DIGITS);
  });
  test('β = 0 returns the values themselves', () => {
    expect(ewma([3, -1, 4], 0)).toEqual([3, -1, 4]);
  });
});

describe('ewmaStream', () => {
  test('matches ewma value by value, and resets', () => {
    const values = [0.9, 0.7, 0.72, 0.5, 0.41, 0.44];
    const s = ewmaStream(0.9);
    expect(Number.isNaN(s.value)).toBe(true);
    const got = values.map((v) => s.update(v));
    expect(got).toEqual(ewma(values, 0.9));
    expect(s.count).toBe(6);
    s.reset();
    expect(s.update(2)).toBe(2);
  });
});

describe('bad input', () => {
  test.each([1, -0.1, Number.NaN, 1.5])('β = %f is refused', (beta) => {
    expect(() => ewma([1], beta)).toThrow(NnkitError);
    expect(() => ewmaStream(beta)).toThrow(`beta ${beta} must be a number in [0, 1)`);
  });
  test('a NaN value is named by position', () => {
    expect(() => ewma([1, Number.NaN], 0.9)).toThrow('value NaN at position 1');
  });
});
