import { createRng, init } from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { dense } from './dense';
import { dropout } from './dropout';
import { type Initializer, initialize, initializerScale } from './initializers';
import { sequential } from './sequential';

const FAN_IN = 400;
const FAN_OUT = 300;
const N = FAN_IN * FAN_OUT;

beforeAll(async () => {
  await init();
});

function stats(values: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    s += values[i];
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  const mean = s / values.length;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(v / values.length), min, max };
}

// Expected standard deviations, written out from the formulas (not from initializerScale).
const EXPECTED_STD: [Initializer, number][] = [
  ['random', 0.01],
  [{ scale: 10 }, 10],
  ['he', Math.sqrt(2 / FAN_IN)],
  ['lecun', Math.sqrt(1 / FAN_IN)],
  ['xavier', Math.sqrt(1 / FAN_IN)],
  ['glorotNormal', Math.sqrt(2 / (FAN_IN + FAN_OUT))],
  ['glorotUniform', Math.sqrt(6 / (FAN_IN + FAN_OUT)) / Math.sqrt(3)],
];

describe.each(EXPECTED_STD)('initializer %j', (init, std) => {
  test(`${N} samples have mean ≈ 0 and std ≈ ${std.toPrecision(4)}`, () => {
    const w = initialize(init, [FAN_IN, FAN_OUT], createRng(7), 'float64');
    const s = stats(w.toArray());
    // Sampling error of the mean is std/√N; of the std, std/√(2N) ≈ 0.2 %.
    expect(Math.abs(s.mean)).toBeLessThan((5 * std) / Math.sqrt(N));
    expect(Math.abs(s.std / std - 1)).toBeLessThan(0.01);
    if (init === 'glorotUniform') {
      const limit = Math.sqrt(6 / (FAN_IN + FAN_OUT));
      expect(s.min).toBeGreaterThanOrEqual(-limit);
      expect(s.max).toBeLessThan(limit);
      expect(s.max).toBeGreaterThan(0.99 * limit);
    }
    w.dispose();
  });
});

test('zeros is all zeros; scales follow the formulas', () => {
  const w = initialize('zeros', [3, 4], createRng(1), 'float32');
  expect(Array.from(w.toArray())).toEqual(new Array(12).fill(0));
  expect(initializerScale('he', 784, 256)).toBeCloseTo(Math.sqrt(2 / 784), 15);
  expect(initializerScale('xavier', 784, 256)).toBe(initializerScale('lecun', 784, 256));
});

test('a seed fixes the weights; biases start at 0; dropout does not change the initial weights', () => {
  const make = (withDropout: boolean, seed: number) =>
    sequential(withDropout ? [dense(8, { init: 'he' }), dropout(0.5), dense(3)] : [dense(8, { init: 'he' }), dense(3)], { inputShape: [5], seed });
  const a = make(false, 42).getWeights().map((w) => Array.from(w.toArray()));
  const b = make(true, 42).getWeights().map((w) => Array.from(w.toArray()));
  const c = make(false, 43).getWeights().map((w) => Array.from(w.toArray()));
  expect(b).toEqual(a);
  expect(c[0]).not.toEqual(a[0]);
  expect(a[1]).toEqual(new Array(8).fill(0));
  expect(a[3]).toEqual(new Array(3).fill(0));
});

test('unknown initializers are refused', () => {
  expect(() => dense(3, { init: 'kaiming' as Initializer })).toThrow(/init "kaiming" is not one of zeros, random, he/);
  expect(() => dense(3, { init: { scale: -1 } })).toThrow(/\{ scale: number ≥ 0 \}/);
});
