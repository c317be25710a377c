import { describe, expect, test } from 'vitest';
import { createRng } from './index';
import { portableLog } from './portable-log';
import { PORTABLE_TRIG_LIMIT, portableCos, portableSin } from './portable-trig';

/** One unit in the last place of y (the spacing of doubles at |y|). */
function ulp(y: number): number {
  const a = Math.abs(y);
  if (a < 2.2250738585072014e-308) return 5e-324;
  return 2 ** (Math.floor(Math.log2(a)) - 52);
}

function expectWithinOneUlp(f: (x: number) => number, g: (x: number) => number, xs: number[]): void {
  for (const x of xs) {
    const want = g(x);
    const got = f(x);
    // Both are faithfully rounded, so they agree or differ by one ulp of the true value.
    expect(Math.abs(got - want), `at ${x}`).toBeLessThanOrEqual(ulp(want) * 1.0000001);
  }
}

describe('portable math (the same bits in every engine), against Math within one ulp', () => {
  const rng = createRng(11);
  test('log over many magnitudes, subnormals included', () => {
    const xs = [1, 2, 0.5, Math.E, 1 + 2 ** -40, 1 - 2 ** -40, 5e-324, 2.2250738585072014e-308, 1e-300, 1e300];
    for (let i = 0; i < 20000; i++) xs.push(rng.uniform() * 10 ** (rng.int(40) - 20) || 1);
    expectWithinOneUlp(portableLog, Math.log, xs);
  });

  test('sin and cos: tiny, near multiples of π/2, and large arguments', () => {
    const xs = [0, -0, 1e-10, -1e-300, Math.PI / 4, Math.PI / 2, Math.PI, 3 * Math.PI / 2, 2 * Math.PI, 0.3, 0.785, 0.79, 1e5, -12345.678];
    for (let k = 1; k < 200; k++) xs.push((k * Math.PI) / 2, (k * Math.PI) / 2 + 1e-9, -(k * Math.PI) / 2);
    for (let i = 0; i < 20000; i++) xs.push((rng.uniform() * 2 - 1) * 10 ** (rng.int(8) - 2));
    expectWithinOneUlp(portableSin, Math.sin, xs);
    expectWithinOneUlp(portableCos, Math.cos, xs);
    expect(portableSin(Math.PI / 6)).toBe(0.49999999999999994);
    expect(portableCos(0)).toBe(1);
  });

  test('arguments beyond the exact reduction are refused', () => {
    expect(() => portableSin(PORTABLE_TRIG_LIMIT * 2)).toThrow(/must be finite with \|x\| ≤ 823549.6/);
    expect(() => portableCos(Number.NaN)).toThrow(/x = NaN/);
  });
});
