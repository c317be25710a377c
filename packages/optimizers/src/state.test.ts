// Checkpoints: getState/setState resume a run bit-exactly, in process and through JSON.
import { createRng, type DType, init, memory, randn, type Tensor } from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { adam } from './adam';
import { adamw } from './adamw';
import type { FusedOptimizer } from './fused-optimizer';
import { momentum } from './momentum';
import { rmsprop } from './rmsprop';
import { exponentialDecay } from './schedules/exponential-decay';
import { sgd } from './sgd';
import type { Param } from './types';

beforeAll(async () => {
  await init();
});

const makers: Array<[string, () => FusedOptimizer]> = [
  ['sgd', () => sgd({ learningRate: exponentialDecay({ initial: 0.1, decayRate: 0.9 }) })],
  ['momentum', () => momentum({ learningRate: 0.05, nesterov: true })],
  ['rmsprop', () => rmsprop({ learningRate: 0.01, centered: true })],
  ['adam', () => adam({ learningRate: 0.01, weightDecay: 0.01 })],
  ['adamw', () => adamw({ learningRate: 0.01 })],
];

/** Two parameters and a gradient sequence that depends only on the step number. */
function setup(dtype: DType): { params: Param[]; feed: (step: number) => void } {
  const params: Param[] = [
    { name: 'kernel', value: randn([3, 5], { seed: 1, dtype }), grad: randn([3, 5], { seed: 2, dtype }) },
    { name: 'bias', value: randn([5], { seed: 3, dtype }), grad: randn([5], { seed: 4, dtype }) },
  ];
  const feed = (step: number) => {
    const rng = createRng(100 + step);
    for (const p of params) p.grad.assign(Array.from({ length: p.grad.size }, () => rng.normal()));
  };
  return { params, feed };
}

function bits(t: Tensor): number[] {
  return Array.from(new Uint8Array(t.toArray().buffer));
}

describe.each(['float32', 'float64'] as const)('checkpoint and resume (%s)', (dtype) => {
  test.each(makers)('%s: 3 + 3 steps through JSON equal 6 steps, bit for bit', (_, make) => {
    const straight = setup(dtype);
    const a = make();
    for (let s = 1; s <= 6; s++) {
      straight.feed(s);
      a.step(straight.params);
    }
    const resumed = setup(dtype);
    const b = make();
    for (let s = 1; s <= 3; s++) {
      resumed.feed(s);
      b.step(resumed.params);
    }
    const saved = b.getState();
    const json = JSON.stringify({ ...saved, slots: saved.slots.map((s) => ({ ...s, values: Object.fromEntries(Object.entries(s.values).map(([k, v]) => [k, Array.from(v)])) })) });
    const c = make();
    c.setState(JSON.parse(json));
    expect(c.iterations).toBe(3);
    for (let s = 4; s <= 6; s++) {
      resumed.feed(s);
      c.step(resumed.params);
    }
    expect(c.iterations).toBe(6);
    resumed.params.forEach((p, i) => {
      expect(bits(p.value)).toEqual(bits(straight.params[i].value));
    });
    expect(JSON.stringify(c.getState())).toBe(JSON.stringify(a.getState()));
    for (const o of [a, b, c]) o.dispose();
  });
});

describe('state handling', () => {
  test('state is allocated once per value tensor and reused; dispose frees it', () => {
    const { params, feed } = setup('float32');
    const before = memory().tensors;
    const opt = adam();
    feed(1);
    opt.step(params);
    expect(memory().tensors).toBe(before + 4); // two moments for each of two parameters
    for (let s = 2; s <= 5; s++) {
      feed(s);
      opt.step(params);
    }
    expect(memory().tensors).toBe(before + 4);
    opt.dispose();
    expect(memory().tensors).toBe(before);
    expect(opt.iterations).toBe(0);
  });

  test('a restored state must match the parameters it binds to, and nothing changes when it does not', () => {
    const { params, feed } = setup('float32');
    const opt = momentum({ learningRate: 0.1 });
    feed(1);
    opt.step(params);
    const saved = opt.getState();
    const other = momentum({ learningRate: 0.1 });
    other.setState(saved);
    const before = params.map((p) => bits(p.value));
    expect(() => other.step([params[1], params[0]])).toThrow(expect.objectContaining({ code: 'STATE_MISMATCH' }));
    expect(() => other.step([params[0]])).toThrow(/has 2 parameters but step got 1/);
    expect(params.map((p) => bits(p.value))).toEqual(before);
    expect(other.iterations).toBe(1);
    expect(() => adam().setState(saved)).toThrow(/the state is of "momentum"; expected "adam"/);
    const broken = { ...saved, slots: [{ ...saved.slots[0], values: { velocity: [1, 2] } }, saved.slots[1]] };
    expect(() => other.setState(broken)).toThrow(/slot 0 needs velocity with 15 values for shape \[3, 5\]/);
    other.step(params);
    expect(other.iterations).toBe(2);
  });

  test('getState before the first step after setState returns the restored state', () => {
    const { params, feed } = setup('float64');
    const a = rmsprop({ learningRate: 0.01 });
    feed(1);
    a.step(params);
    const b = rmsprop({ learningRate: 0.01 });
    b.setState(a.getState());
    expect(b.getState()).toEqual(a.getState());
  });
});
