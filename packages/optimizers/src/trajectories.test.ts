// Trajectories of every optimizer and form against PyTorch 1.13 (test/fixtures/make-fixtures.py).
import { type DType, init, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import fixtures from '../test/fixtures/trajectories.json';
import { adam } from './adam';
import { adamw } from './adamw';
import { momentum } from './momentum';
import { rmsprop } from './rmsprop';
import { exponentialDecay } from './schedules/exponential-decay';
import { sgd } from './sgd';
import type { FusedOptimizer } from './fused-optimizer';

// float32: a few ulps of O(1) weights over 5 steps (PyTorch divides by √(1−β2ᵗ) where the kernel
// multiplies by its inverse, and may round differently inside its vectorized loops).
// float64: the same, at double precision.
const TOLERANCE: Record<DType, number> = { float32: 1e-6, float64: 1e-12 };

interface Case {
  name: string;
  optimizer: string;
  options: Record<string, unknown>;
  dtype: DType;
  reference: string;
  weights: number[][];
  state: Record<string, number[]>;
}

const cases = fixtures.cases as unknown as Case[];

function build(c: Case): FusedOptimizer {
  const options = { ...c.options } as Record<string, any>;
  if (typeof options.learningRate === 'object') {
    const { schedule, ...rest } = options.learningRate;
    expect(schedule).toBe('exponentialDecay');
    options.learningRate = exponentialDecay(rest);
  }
  switch (c.optimizer) {
    case 'sgd': return sgd(options as any);
    case 'momentum': return momentum(options as any);
    case 'rmsprop': return rmsprop(options as any);
    case 'adam': return adam(options);
    case 'adamw': return adamw(options);
    default: throw new Error(`unknown optimizer ${c.optimizer}`);
  }
}

function expectNear(actual: ArrayLike<number>, expected: number[], tol: number, relative: boolean, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const bound = relative ? tol * Math.abs(expected[i]) + 1e-300 : tol * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= bound)) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, PyTorch ${expected[i]} (|Δ| ${Math.abs(actual[i] - expected[i])} > ${bound})`);
    }
  }
}

beforeAll(async () => {
  await init();
});

describe('trajectories against PyTorch', () => {
  test('the fixture covers every optimizer and form in both dtypes', () => {
    const names = new Set(cases.map((c) => `${c.name} ${c.dtype}`));
    for (const name of ['sgd', 'momentum ewma', 'momentum ewma nesterov', 'momentum heavyBall', 'momentum heavyBall nesterov', 'rmsprop',
      'rmsprop centered', 'rmsprop epsilonInsideSqrt', 'rmsprop epsilonInsideSqrt centered', 'adam', 'adam weightDecay', 'adamw']) {
      expect(names.has(`${name} float32`) && names.has(`${name} float64`), name).toBe(true);
    }
    expect(fixtures.grads.every((g) => g[0] === 1e-6 || Math.fround(1e-6) === g[0])).toBe(true);
  });

  test.each(cases.map((c) => [`${c.name} (${c.dtype})`, c] as const))('%s', (_, c) => {
    const opt = build(c);
    const w = tensor(fixtures.w0, [fixtures.w0.length], c.dtype);
    const g = tensor(fixtures.grads[0], [fixtures.w0.length], c.dtype);
    fixtures.grads.forEach((grad, step) => {
      g.assign(grad);
      opt.step([{ value: w, grad: g, name: 'w' }]);
      expectNear(w.toArray(), c.weights[step], TOLERANCE[c.dtype], false, `${c.name} w after step ${step + 1}`);
    });
    expect(opt.iterations).toBe(fixtures.grads.length);
    const state = opt.getState();
    expect(Object.keys(state.slots[0].values).sort()).toEqual(Object.keys(c.state).sort());
    for (const [slot, values] of Object.entries(c.state)) {
      expectNear(state.slots[0].values[slot], values, 20 * TOLERANCE[c.dtype], true, `${c.name} ${slot}`);
    }
    opt.dispose();
    w.dispose();
    g.dispose();
  });

  test('the tiny-gradient coordinate tells where ε goes', () => {
    // At g = 1e-6, √s ≈ 3e-7 is far below √ε = 1e-4: ε outside the root barely changes the step,
    // ε inside shrinks it a hundredfold. The tolerance above is far finer than this difference.
    const final = (name: string) => cases.find((c) => c.name === name && c.dtype === 'float32')!.weights.at(-1)![0];
    const outside = fixtures.w0[0] - final('rmsprop');
    const inside = fixtures.w0[0] - final('rmsprop epsilonInsideSqrt');
    expect(outside / inside).toBeGreaterThan(100);
    expect(Math.abs(outside - inside)).toBeGreaterThan(1e4 * TOLERANCE.float32);
  });
});
