import { describe, expect, it } from 'vitest';
import { erfc, logGaussMass, normalCdf, normalQuantile, truncatedNormalQuantile } from './normal';

// References: Python's math.erfc and SciPy's ndtri / log_ndtr (printed with repr, 17 digits).
const ERFC: [number, number][] = [
  [0, 1.0],
  [0.1, 0.8875370839817152],
  [0.5, 0.4795001221869535],
  [1, 0.15729920705028513],
  [1.9999, 0.004679802092970608],
  [2, 0.004677734981047265],
  [2.5, 0.0004069520174449589],
  [3, 2.2090496998585438e-5],
  [5, 1.5374597944280351e-12],
  [10, 2.088487583762545e-45],
  [-1, 1.842700792949715],
  [-3, 1.9999779095030015],
];
const QUANTILE: [number, number][] = [
  [1e-300, -37.0470962993612],
  [1e-20, -9.262340089798409],
  [0.001, -3.090232306167813],
  [0.02, -2.053748910631823],
  [0.3, -0.5244005127080409],
  [0.5, 0],
  [0.975, 1.959963984540054],
  [0.999999, 4.753424308817087],
];
const LOG_MASS: [number, number, number][] = [
  [-1, 1, -0.38171514630212616],
  [2, 3, -3.844353426334206],
  [-3, -2, -3.844353426334205],
  [40, 41, -804.6084420137539],
  [-0.1, 0.1, -2.5300420015472382],
  [0, Number.POSITIVE_INFINITY, -Math.LN2],
];

describe('normal', () => {
  it('erfc matches Python to 1e-13 relative, including the tail', () => {
    for (const [x, want] of ERFC) expect(Math.abs(erfc(x) - want) / want, `erfc(${x})`).toBeLessThan(1e-13);
  });

  it('normalQuantile inverts Φ as SciPy ndtri does', () => {
    for (const [p, want] of QUANTILE) expect(Math.abs(normalQuantile(p) - want), `ndtri(${p})`).toBeLessThan(1e-13 * Math.max(1, Math.abs(want)));
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 15);
  });

  it('logGaussMass keeps its digits in both tails', () => {
    for (const [a, b, want] of LOG_MASS) expect(Math.abs(logGaussMass(a, b) - want), `[${a}, ${b}]`).toBeLessThan(1e-12 * Math.max(1, Math.abs(want)));
  });

  it('truncated draws stay inside the interval and split it at the median', () => {
    expect(truncatedNormalQuantile(-1, 1, 0.5)).toBeCloseTo(0, 15);
    expect(truncatedNormalQuantile(2, 3, 0)).toBeCloseTo(2, 12);
    expect(truncatedNormalQuantile(2, 3, 0.999999999)).toBeLessThanOrEqual(3);
    // The median of N(0,1) on [0, ∞) is Φ⁻¹(0.75) = 0.6744897501960817.
    expect(truncatedNormalQuantile(0, Number.POSITIVE_INFINITY, 0.5)).toBeCloseTo(0.6744897501960817, 13);
  });
});
