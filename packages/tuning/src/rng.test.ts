import { describe, expect, it } from 'vitest';
import { createSearchRng } from './rng';

describe('createSearchRng', () => {
  it('repeats a stream for the same (seed, stream) and differs otherwise', () => {
    const take = (seed: number, stream: number) => {
      const r = createSearchRng(seed, stream);
      return Array.from({ length: 5 }, () => r.uniform());
    };
    expect(take(1, 0)).toEqual(take(1, 0));
    expect(take(1, 0)).not.toEqual(take(2, 0));
    expect(take(1, 0)).not.toEqual(take(1, 1));
  });

  it('has mean ½ and variance 1/12 in [0, 1)', () => {
    const r = createSearchRng(9);
    const xs = Array.from({ length: 20000 }, () => r.uniform());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    // Standard errors: √(1/12/n) ≈ 0.002 for the mean, ≈ 0.0005 for the variance.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(v - 1 / 12)).toBeLessThan(0.003);
  });

  it('draws unbiased integers and refuses bad n and seeds', () => {
    const r = createSearchRng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[r.int(3)]++;
    for (const c of counts) expect(Math.abs(c / 30000 - 1 / 3)).toBeLessThan(0.015);
    expect(() => r.int(0)).toThrowError('rng.int(): n = 0; expected an integer in [1, 2^32]');
    expect(() => createSearchRng(1.5)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
