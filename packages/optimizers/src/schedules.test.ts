// Each schedule at several t against its formula written out here, including the staircase edges.
import { NnkitError } from '@nnkit/tensor-wasm';
import { describe, expect, test } from 'vitest';
import { cosineDecay } from './schedules/cosine-decay';
import { exponentialDecay } from './schedules/exponential-decay';
import { inverseSqrtDecay } from './schedules/inverse-sqrt-decay';
import { inverseTimeDecay } from './schedules/inverse-time-decay';
import { linearWarmup } from './schedules/linear-warmup';
import { piecewiseConstant } from './schedules/piecewise-constant';
import { stepDecay } from './schedules/step-decay';

// Schedules are a few float64 operations; they must equal the formula to the last few ulps.
const ULPS = 1e-15;

function expectValues(schedule: (t: number) => number, expected: Record<number, number>): void {
  for (const [t, value] of Object.entries(expected)) {
    const got = schedule(Number(t));
    if (!(Math.abs(got - value) <= ULPS * Math.abs(value))) throw new Error(`t = ${t}: got ${got}, expected ${value}`);
  }
}

describe('inverseTimeDecay', () => {
  test('α0/(1 + rate·epoch), the course: 0.2, 0.1, 0.0667 …', () => {
    const lr = inverseTimeDecay({ initial: 0.2, decayRate: 1, stepping: 'epoch' });
    expect(lr.stepping).toBe('epoch');
    expectValues(lr, { 0: 0.2, 1: 0.1, 2: 0.2 / 3, 3: 0.05, 10: 0.2 / 11 });
  });

  test('decaySteps divides t', () => {
    expectValues(inverseTimeDecay({ initial: 0.5, decayRate: 0.3, decaySteps: 4 }), { 0: 0.5, 1: 0.5 / 1.075, 6: 0.5 / 1.45 });
  });

  test('staircase (fixed-interval scheduling): epochs 0 and 1 both use lr0 with an interval of 2', () => {
    const lr = inverseTimeDecay({ initial: 0.1, decayRate: 1, decaySteps: 2, staircase: true, stepping: 'epoch' });
    expectValues(lr, { 0: 0.1, 1: 0.1, 2: 0.05, 3: 0.05, 4: 0.1 / 3, 1999: 0.1 / 1000 });
  });

  test('the course\'s interval of 1000 epochs', () => {
    const lr = inverseTimeDecay({ initial: 0.1, decayRate: 0.3, decaySteps: 1000, staircase: true, stepping: 'epoch' });
    expectValues(lr, { 0: 0.1, 999: 0.1, 1000: 0.1 / 1.3, 1999: 0.1 / 1.3, 2000: 0.1 / 1.6 });
  });
});

describe('exponentialDecay', () => {
  test('0.95^epoch·α0', () => {
    const lr = exponentialDecay({ initial: 0.1, decayRate: 0.95, stepping: 'epoch' });
    expectValues(lr, { 0: 0.1, 1: 0.095, 2: 0.1 * 0.95 ** 2, 7: 0.1 * 0.95 ** 7 });
  });

  test('continuous and staircase exponents around a boundary', () => {
    const smooth = exponentialDecay({ initial: 1, decayRate: 0.5, decaySteps: 10 });
    const stairs = exponentialDecay({ initial: 1, decayRate: 0.5, decaySteps: 10, staircase: true });
    expectValues(smooth, { 5: Math.SQRT1_2, 9: 0.5 ** 0.9, 10: 0.5, 15: 0.5 ** 1.5 });
    expectValues(stairs, { 5: 1, 9: 1, 10: 0.5, 19: 0.5, 20: 0.25 });
  });
});

describe('inverseSqrtDecay', () => {
  test('k·α0/√t, with t = 0 taken as 1', () => {
    const lr = inverseSqrtDecay({ initial: 0.2, k: 0.5 });
    expectValues(lr, { 0: 0.1, 1: 0.1, 4: 0.05, 9: 0.1 / 3, 100: 0.01 });
  });
});

describe('stepDecay', () => {
  test('halves every 3 steps, changing exactly at multiples', () => {
    expectValues(stepDecay({ initial: 0.8, factor: 0.5, every: 3 }), { 0: 0.8, 2: 0.8, 3: 0.4, 5: 0.4, 6: 0.2, 9: 0.1 });
  });
});

describe('piecewiseConstant', () => {
  test('a boundary belongs to the piece before it (Keras)', () => {
    const lr = piecewiseConstant({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
    expectValues(lr, { 0: 1, 10: 1, 10.5: 0.5, 11: 0.5, 20: 0.5, 21: 0.1, 1e6: 0.1 });
  });

  test('mismatched lengths and unsorted boundaries are rejected', () => {
    expect(() => piecewiseConstant({ boundaries: [10], values: [1] })).toThrow(/values.length = boundaries.length \+ 1, got 1 values and 1 boundaries/);
    expect(() => piecewiseConstant({ boundaries: [10, 5], values: [1, 2, 3] })).toThrow(/boundaries\[1\] 5/);
  });
});

describe('cosineDecay', () => {
  test('from initial to α·initial over decaySteps, constant after', () => {
    const lr = cosineDecay({ initial: 0.1, decaySteps: 100, alpha: 0.1 });
    const at = (t: number) => 0.1 * (0.9 * 0.5 * (1 + Math.cos((Math.PI * t) / 100)) + 0.1);
    expectValues(lr, { 0: 0.1, 25: at(25), 50: 0.1 * (0.9 * 0.5 + 0.1), 99: at(99), 100: 0.01, 500: 0.01 });
  });
});

describe('linearWarmup', () => {
  test('rises linearly to then(0) and then follows then(t − steps)', () => {
    const then = exponentialDecay({ initial: 0.1, decayRate: 0.5, decaySteps: 10 });
    const lr = linearWarmup({ steps: 4, then });
    expectValues(lr, { 0: 0, 1: 0.025, 2: 0.05, 3: 0.075, 4: 0.1, 14: 0.05, 24: 0.025 });
    expect(lr.stepping).toBe('iteration');
  });

  test('start and the stepping of the schedule it wraps', () => {
    // biome-ignore lint/suspicious/noThenProperty: the API names the wrapped schedule `then`
    const lr = linearWarmup({ steps: 2, start: 0.01, then: inverseTimeDecay({ initial: 0.1, decayRate: 1, stepping: 'epoch' }) });
    expect(lr.stepping).toBe('epoch');
    expectValues(lr, { 0: 0.01, 1: 0.055, 2: 0.1, 3: 0.05 });
    // biome-ignore lint/suspicious/noThenProperty: the API names the wrapped schedule `then`
    expectValues(linearWarmup({ steps: 10, then: 1 }), { 5: 0.5, 10: 1, 99: 1 });
  });
});

describe('argument checks', () => {
  test('bad options throw NnkitError naming the value', () => {
    const cases: Array<[() => unknown, RegExp]> = [
      [() => inverseTimeDecay({ initial: -1, decayRate: 1 }), /initial -1 must be a finite number ≥ 0/],
      [() => inverseTimeDecay({ initial: 0.1, decayRate: 1, decaySteps: 0 }), /decaySteps 0 must be a finite number > 0/],
      [() => exponentialDecay({ initial: 0.1, decayRate: Number.NaN }), /decayRate NaN/],
      [() => cosineDecay({ initial: 0.1, decaySteps: 10, alpha: 2 }), /alpha 2 must be a number in \[0, 1\]/],
      [() => stepDecay({ initial: 0.1, factor: 0.5, every: 3, stepping: 'batch' as never }), /stepping "batch" must be 'epoch' or 'iteration'/],
      [() => exponentialDecay({ initial: 0.1, rate: 0.5 } as never), /unknown option "rate"/],
      [() => inverseTimeDecay({ initial: 0.1, decayRate: 1 })(-1), /t -1 must be a finite number ≥ 0/],
    ];
    for (const [make, message] of cases) {
      expect(make).toThrow(NnkitError);
      expect(make).toThrow(message);
    }
  });
});
