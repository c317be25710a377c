// Bad input: every mistake is an NnkitError that names the value, thrown before anything changes.
import { init, NnkitError, type Tensor, tensor, zeros } from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { adam } from './adam';
import { adamw } from './adamw';
import { momentum } from './momentum';
import { rmsprop } from './rmsprop';
import { inverseTimeDecay } from './schedules/inverse-time-decay';
import { sgd } from './sgd';

beforeAll(async () => {
  await init();
});

function values(t: Tensor): number[] {
  return Array.from(t.toArray());
}

describe('hyperparameters', () => {
  test.each([
    ['negative learning rate', () => sgd({ learningRate: -1 }), /sgd\(\): learningRate -1 must be a finite number ≥ 0 or a schedule/],
    ['infinite learning rate', () => adam({ learningRate: Number.POSITIVE_INFINITY }), /learningRate Infinity/],
    ['NaN learning rate', () => rmsprop({ learningRate: Number.NaN }), /learningRate NaN/],
    ['missing learning rate', () => momentum({} as never), /momentum\(\): learningRate is required/],
    ['β = 1', () => momentum({ learningRate: 0.1, beta: 1 }), /beta 1 must be a number in \[0, 1\)/],
    ['β < 0', () => adam({ beta1: -0.1 }), /beta1 -0.1 must be a number in \[0, 1\)/],
    ['β2 = 1', () => adamw({ beta2: 1 }), /adamw\(\): beta2 1/],
    ['ρ = 1', () => rmsprop({ learningRate: 0.1, rho: 1 }), /rho 1/],
    ['ε = 0', () => adam({ epsilon: 0 }), /epsilon 0 must be a finite number > 0/],
    ['ε < 0', () => rmsprop({ learningRate: 0.1, epsilon: -1e-8 }), /epsilon -1e-8/],
    ['negative weight decay', () => adamw({ weightDecay: -0.1 }), /weightDecay -0.1/],
    ['unknown form', () => momentum({ learningRate: 0.1, form: 'nesterov' as never }), /form "nesterov" must be 'ewma' or 'heavyBall'/],
    ['a misspelt option', () => adam({ lr: 0.1 } as never), /adam\(\): unknown option "lr"; expected one of learningRate/],
  ])('%s', (_, make, message) => {
    expect(make).toThrow(NnkitError);
    expect(make).toThrow(message);
  });

  test('defaults match the course and the frameworks', () => {
    const a = adam();
    expect([a.learningRate, a.beta1, a.beta2, a.epsilon, a.weightDecay]).toEqual([1e-3, 0.9, 0.999, 1e-8, 0]);
    expect(adamw().weightDecay).toBe(0.01);
    const m = momentum({ learningRate: 0.1 });
    expect([m.beta, m.form, m.nesterov]).toEqual([0.9, 'ewma', false]);
    const r = rmsprop({ learningRate: 0.1 });
    expect([r.rho, r.epsilon, r.epsilonInsideSqrt, r.centered]).toEqual([0.9, 1e-8, false, false]);
  });
});

describe('step()', () => {
  test('a grad of another shape or dtype, or a disposed tensor, is named and nothing changes', () => {
    const w = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const good = tensor([1, 1, 1, 1, 1, 1], [2, 3]);
    const opt = adam();
    expect(() => opt.step([{ value: w, grad: good }, { value: zeros([3]), grad: zeros([3, 1]), name: 'dense/bias' }])).toThrow(
      /the grad of parameter 1 \("dense\/bias"\) has shape \[3, 1\]; expected \[3\] like its value/,
    );
    expect(() => opt.step([{ value: w, grad: zeros([2, 3], 'float64') }])).toThrow(
      expect.objectContaining({ code: 'DTYPE_MISMATCH', message: expect.stringMatching(/grad of parameter 0 is float64; expected float32/) }),
    );
    const gone = zeros([2, 3]);
    gone.dispose();
    expect(() => opt.step([{ value: w, grad: gone }])).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
    expect(() => opt.step([{ value: w, grad: good }, { value: w, grad: good }])).toThrow(/repeats a value tensor/);
    expect(values(w)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(opt.iterations).toBe(0);
  });

  test('a NaN or Inf gradient is reported by parameter and no weight is written', () => {
    const opt = momentum({ learningRate: 0.1, form: 'heavyBall' });
    const a = { name: 'layer1/kernel', value: tensor([1, 2, 3], [3]), grad: tensor([1, 1, 1], [3]) };
    const b = { name: 'layer2/kernel', value: tensor([4, 5], [2]), grad: tensor([1, Number.NaN], [2]) };
    opt.step([a, { ...b, grad: tensor([1, 1], [2]) }]);
    const before = [values(a.value), values(b.value)];
    const velocity = opt.getState().slots.map((s) => Array.from(s.values.velocity));
    let error: NnkitError | undefined;
    try {
      opt.step([a, b]);
    } catch (e) {
      error = e as NnkitError;
    }
    expect(error).toBeInstanceOf(NnkitError);
    expect(error?.code).toBe('NON_FINITE');
    expect(error?.message).toMatch(/parameter 1 \("layer2\/kernel"\) has 1 non-finite entry \(first: NaN at flat index 1\); no parameter was updated/);
    // Parameter 0 comes first in the list and its gradient is fine, yet it is untouched too.
    expect([values(a.value), values(b.value)]).toEqual(before);
    expect(opt.getState().slots.map((s) => Array.from(s.values.velocity))).toEqual(velocity);
    expect(opt.iterations).toBe(1);
    const inf = tensor([Number.POSITIVE_INFINITY, 0, Number.NEGATIVE_INFINITY], [3], 'float64');
    expect(() => adam().step([{ value: zeros([3], 'float64'), grad: inf }])).toThrow(/parameter 0 has 2 non-finite entries \(first: Infinity at flat index 0\)/);
  });

  test('checkFinite: false skips the check (and lets NaN through)', () => {
    const opt = sgd({ learningRate: 1, checkFinite: false });
    const w = tensor([1, 2], [2]);
    opt.step([{ value: w, grad: tensor([Number.NaN, 1], [2]) }]);
    expect(values(w)).toEqual([Number.NaN, 1]);
  });

  test('a schedule returning NaN or a negative rate is named with its t', () => {
    const w = tensor([1], [1]);
    const g = tensor([1], [1]);
    const opt = sgd({ learningRate: (t: number) => (t < 2 ? 0.1 : Number.NaN) });
    opt.step([{ value: w, grad: g }]);
    expect(() => opt.step([{ value: w, grad: g }])).toThrow(
      expect.objectContaining({ code: 'INVALID_LEARNING_RATE', message: expect.stringMatching(/returned NaN at iteration 2/) }),
    );
    expect(values(w)).toEqual([Math.fround(0.9)]);
    expect(() => sgd({ learningRate: () => -1 }).step([{ value: w, grad: g }])).toThrow(/the schedule returned -1 at iteration 1/);
  });
});

describe('learning rate in use', () => {
  test('per-iteration schedules see the update number, starting at 1', () => {
    const seen: number[] = [];
    const opt = sgd({
      learningRate: (t: number) => {
        seen.push(t);
        return 0.1;
      },
    });
    const w = tensor([0], [1]);
    const g = tensor([1], [1]);
    for (let i = 0; i < 3; i++) opt.step([{ value: w, grad: g }]);
    expect(seen).toEqual([1, 2, 3]);
  });

  test('per-epoch schedules follow setEpoch: epochs 0 and 1 use lr0 with a staircase interval of 2', () => {
    const opt = sgd({ learningRate: inverseTimeDecay({ initial: 0.1, decayRate: 1, decaySteps: 2, staircase: true, stepping: 'epoch' }) });
    const w = tensor([0], [1]);
    const g = tensor([1], [1]);
    const used: number[] = [];
    for (let epoch = 0; epoch < 5; epoch++) {
      opt.setEpoch(epoch);
      for (let batch = 0; batch < 2; batch++) {
        used.push(opt.learningRate);
        opt.step([{ value: w, grad: g }]);
      }
    }
    expect(used).toEqual([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.1 / 3, 0.1 / 3]);
    expect(values(w)[0]).toBeCloseTo(-used.reduce((a, b) => a + b, 0), 6);
    expect(() => opt.setEpoch(-1)).toThrow(/epoch -1 must be an integer ≥ 0/);
  });

  test('manual decay: assigning a number between steps replaces the schedule', () => {
    const opt = adam({ learningRate: inverseTimeDecay({ initial: 0.1, decayRate: 1 }) });
    expect(opt.learningRate).toBe(0.05); // the next update is t = 1
    opt.learningRate = 0.01;
    expect(opt.learningRate).toBe(0.01);
    expect(opt.schedule).toBeNull();
    expect(opt.getState().learningRate).toBe(0.01);
    expect(() => {
      opt.learningRate = -0.5;
    }).toThrow(/learningRate -0.5 must be a finite number ≥ 0/);
    expect(opt.learningRate).toBe(0.01);
  });
});
