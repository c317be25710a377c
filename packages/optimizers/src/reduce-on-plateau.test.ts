import { init, NnkitError, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { adam } from './adam';
import { reduceOnPlateau } from './schedules/reduce-on-plateau';
import { sgd } from './sgd';

beforeAll(async () => {
  await init();
});

describe('reduceOnPlateau (Keras ReduceLROnPlateau semantics)', () => {
  test('patience, minDelta, cooldown and minLr, worked by hand', () => {
    const plateau = reduceOnPlateau({ initial: 1, factor: 0.5, patience: 2, minDelta: 0.01, cooldown: 1, minLr: 0.2 });
    expect(plateau.stepping).toBe('epoch');
    const losses = [1.0, 0.995, 0.98, 0.98, 0.979, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.5];
    // 0.995 is no improvement (not below 1 − 0.01); 0.98 is; two more without → halve, then one
    // cooldown value resets the count, two bad values halve again, and 0.2 (minLr) is the floor.
    const expected = [1, 1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2];
    expect(losses.map((v) => plateau.update(v))).toEqual(expected);
    expect(plateau(123)).toBe(0.2);
    expect(plateau.getState()).toEqual({ lr: 0.2, best: 0.5, wait: 0, cooldownCounter: 0 });
  });

  test("mode 'max' for an accuracy, patience 1, default minDelta", () => {
    const plateau = reduceOnPlateau({ initial: 0.1, patience: 1, mode: 'max' });
    expect([0.5, 0.5, 0.6, 0.60005, 0.7].map((v) => plateau.update(v))).toEqual([0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1, 0.1 * 0.1 * 0.1]);
  });

  test('state round-trips, so a resumed run reduces at the same epoch', () => {
    const a = reduceOnPlateau({ initial: 1, factor: 0.5, patience: 3 });
    for (const v of [1, 2, 2]) a.update(v);
    const b = reduceOnPlateau({ initial: 1, factor: 0.5, patience: 3 });
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    expect(b.update(2)).toBe(0.5);
    expect(a.update(2)).toBe(0.5);
    expect(() => b.setState({ lr: 'x' })).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });

  test('an optimizer uses it per epoch, and saves its state', () => {
    const plateau = reduceOnPlateau({ factor: 0.5, patience: 1 });
    const opt = adam({ learningRate: plateau });
    expect(opt.learningRate).toBe(1e-3); // adam's default when initial is omitted
    expect(opt.stepping).toBe('epoch');
    plateau.update(1);
    plateau.update(1);
    expect(opt.learningRate).toBe(5e-4);
    const w = tensor([1], [1]);
    const g = tensor([1], [1]);
    opt.step([{ value: w, grad: g }]);
    expect(opt.getState().schedule).toEqual({ lr: 5e-4, best: 1, wait: 0, cooldownCounter: 0 });
    expect(() => sgd({ learningRate: reduceOnPlateau() })).toThrow(/needs initial here/);
  });

  test('bad options and a non-finite monitored value are named', () => {
    expect(() => reduceOnPlateau({ factor: 1 })).toThrow(/factor 1 must be a number in \[0, 1\)/);
    expect(() => reduceOnPlateau({ patience: 1.5 })).toThrow(/patience 1.5 must be an integer ≥ 0/);
    expect(() => reduceOnPlateau({ mode: 'up' as never })).toThrow(NnkitError);
    expect(() => reduceOnPlateau({ initial: 1 }).update(Number.NaN)).toThrow(/monitored value NaN must be a finite number/);
  });
});
