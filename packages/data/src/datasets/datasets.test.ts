// The synthetic data sets against scikit-learn's generators (exact noise-free points) and their
// statistics with noise.
import { init, NnkitError } from '@nnkit/tensor-wasm';
import { describe, expect, test } from 'vitest';
import reference from '../../test/fixtures/reference-data.json';
import { circles } from './circles';
import { gaussianBlobs } from './gaussian-blobs';
import { moons } from './moons';
import { spiral } from './spiral';

await init();

const DIGITS = 12;

const points = (v: ArrayLike<number>) => Array.from({ length: v.length / 2 }, (_, i) => [v[2 * i], v[2 * i + 1]]);

describe('moons and circles without noise equal scikit-learn’s points', () => {
  test.each(['9', '10'] as const)('n = %s', (n) => {
    const cases = [
      [moons({ n: Number(n), shuffle: false, dtype: 'float64' }), reference.moons[n]],
      [circles({ n: Number(n), shuffle: false, factor: 0.5, dtype: 'float64' }), reference.circles[n]],
    ] as const;
    for (const [got, want] of cases) {
      points(got.x.toArray()).forEach(([a, b], i) => {
        expect(a).toBeCloseTo(want.x[i][0], DIGITS);
        expect(b).toBeCloseTo(want.x[i][1], DIGITS);
      });
      expect(Array.from(got.labels)).toEqual(want.y);
      expect(Array.from(got.y.toArray())).toEqual(want.y);
      expect(got.y.shape).toEqual([Number(n), 1]);
    }
  });
});

describe('statistics with noise', () => {
  const n = 4001;
  test('moons: balance n//2 vs n − n//2, and noise of the given standard deviation', () => {
    const clean = moons({ n, seed: 5, dtype: 'float64' });
    const noisy = moons({ n, seed: 5, noise: 0.1, dtype: 'float64' });
    // The same seed gives the same shuffle, so noise = noisy − clean, point by point.
    expect(noisy.labels).toEqual(clean.labels);
    expect(clean.labels.filter((l) => l === 0).length).toBe(2000);
    const c = clean.x.toArray();
    const d = Array.from(noisy.x.toArray(), (v, i) => v - c[i]);
    const mean = d.reduce((s, v) => s + v, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (d.length - 1));
    expect(Math.abs(mean)).toBeLessThan(4 * (0.1 / Math.sqrt(d.length)));
    expect(Math.abs(sd - 0.1)).toBeLessThan(0.003);
    // the upper moon lies on the unit circle around the origin, the lower one around (1, 0.5)
    points(c).forEach(([px, py], i) => {
      const r = clean.labels[i] === 0 ? Math.hypot(px, py) : Math.hypot(px - 1, py - 0.5);
      expect(r).toBeCloseTo(1, DIGITS);
    });
  });
  test('circles: radii 1 and factor, mean radius error matches the noise', () => {
    const data = circles({ n, seed: 6, noise: 0.05, factor: 0.3, dtype: 'float64' });
    const byClass = [0, 1].map((k) => points(data.x.toArray()).filter((_, i) => data.labels[i] === k).map(([a, b]) => Math.hypot(a, b)));
    expect(byClass.map((r) => r.length)).toEqual([2000, 2001]);
    const meanRadius = byClass.map((r) => r.reduce((s, v) => s + v, 0) / r.length);
    expect(meanRadius[0]).toBeCloseTo(1, 2);
    expect(meanRadius[1]).toBeCloseTo(0.3, 2);
  });
  test('shuffled by default, and the same seed repeats the data', () => {
    const a = moons({ n: 50, seed: 1, noise: 0.2 });
    expect(Array.from(a.labels.subarray(0, 25))).not.toEqual(new Array(25).fill(0));
    expect(moons({ n: 50, seed: 1, noise: 0.2 }).x.toArray()).toEqual(a.x.toArray());
  });
});

describe('spiral and blobs', () => {
  test('spiral: arms of equal size; without noise each point is on its arm', () => {
    const s = spiral({ n: 301, classes: 3, noise: 0, shuffle: false, dtype: 'float64' });
    expect(s.y.shape).toEqual([301, 3]);
    expect([0, 1, 2].map((k) => s.labels.filter((l) => l === k).length)).toEqual([101, 100, 100]);
    const p = points(s.x.toArray());
    // Last point of arm 0: radius 1 at angle 4 rad → (sin 4, cos 4).
    expect(p[100][0]).toBeCloseTo(Math.sin(4), DIGITS);
    expect(p[100][1]).toBeCloseTo(Math.cos(4), DIGITS);
    // Arm 1 (100 points from index 101): radius 0 at angle 4, radius 1 at angle 8.
    expect(Math.hypot(...p[101])).toBe(0);
    expect(p[200][0]).toBeCloseTo(Math.sin(8), DIGITS);
    expect(Math.hypot(...p[150])).toBeCloseTo(49 / 99, DIGITS);
  });
  test('blobs: cluster means near their centers, spread the given std', () => {
    const b = gaussianBlobs({ n: 3000, centers: [[0, 0], [5, 5], [-5, 5]], std: 0.5, seed: 2, dtype: 'float64' });
    const p = points(b.x.toArray());
    for (let k = 0; k < 3; k++) {
      const members = p.filter((_, i) => b.labels[i] === k);
      expect(members.length).toBe(1000);
      const mx = members.reduce((s, q) => s + q[0], 0) / 1000;
      expect(Math.abs(mx - b.centers[k][0])).toBeLessThan(4 * (0.5 / Math.sqrt(1000)));
      const sd = Math.sqrt(members.reduce((s, q) => s + (q[1] - b.centers[k][1]) ** 2, 0) / 1000);
      expect(Math.abs(sd - 0.5)).toBeLessThan(0.05);
    }
    const random = gaussianBlobs({ n: 10, centers: 4, features: 3, seed: 1 });
    expect(random.x.shape).toEqual([10, 3]);
    expect(random.centers.flat().every((v) => v >= -10 && v < 10)).toBe(true);
    expect([0, 1, 2, 3].map((k) => random.labels.filter((l) => l === k).length)).toEqual([3, 3, 2, 2]);
  });
});

describe('bad input', () => {
  test.each([
    [() => moons({ n: 0 }), /n 0 must be an integer ≥ 1/],
    [() => moons({ noise: -0.1 }), /noise -0.1 must be a finite number ≥ 0/],
    [() => circles({ factor: 1 }), /factor 1 must be a number in \[0, 1\)/],
    [() => spiral({ classes: 1 }), /classes 1 must be an integer ≥ 2/],
    [() => gaussianBlobs({ centers: [[0, 0], [1]] }), /centers must be a positive count or a non-empty list/],
    [() => gaussianBlobs({ centers: 2, std: [1, 2, 3] }), /std \[1,2,3\] must be a number ≥ 0 or one per center \(2\)/],
  ])('%#', (run, message) => {
    expect(run).toThrow(NnkitError);
    expect(run).toThrow(message);
  });
});
