// Where the parts of a split start: a full split gives each thread's first part three times the work
// of its later ones (so the faster threads take over the small parts); other splits are equal.
import { describe, expect, it } from 'vitest';
import { FIRST_PART_WEIGHT, partStart } from './parallel';

const starts = (parts: number, threads: number, grains: number) => Array.from({ length: parts + 1 }, (_, p) => partStart(p, parts, threads, grains));

describe('partStart', () => {
  it('two threads, four parts: 3/8, 3/8, 1/8, 1/8 of the work', () => {
    expect(FIRST_PART_WEIGHT).toBe(3);
    expect(starts(4, 2, 1000)).toEqual([0, 3 / 8, 6 / 8, 7 / 8, 1]);
  });

  it('three threads, six parts: 1/4 each for parts 0–2 (3 of 12 each), 1/12 for parts 3–5', () => {
    const s = starts(6, 3, 1000);
    const sizes = s.slice(1).map((v, i) => v - s[i]);
    for (const [got, want] of sizes.map((v, i) => [v, [3, 3, 3, 1, 1, 1][i] / 12])) expect(got).toBeCloseTo(want, 15);
    expect(s[6]).toBe(1);
  });

  it('equal parts when the split is not full (fewer parts than two per thread)', () => {
    expect(starts(3, 2, 1000)).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect(starts(2, 2, 1000)).toEqual([0, 1 / 2, 1]);
  });

  it('equal parts when a small part would get fewer than two grains', () => {
    // Four parts on two threads need 16 grains for the 3:1 split (a small part is 1/8 of them).
    expect(starts(4, 2, 15)).toEqual([0, 1 / 4, 2 / 4, 3 / 4, 1]);
    expect(starts(4, 2, 16)).toEqual([0, 3 / 8, 6 / 8, 7 / 8, 1]);
  });
});
