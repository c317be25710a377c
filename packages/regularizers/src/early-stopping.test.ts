// earlyStopping against Keras' rules, traced by hand on short loss curves, with a fake model of two
// tensors whose values record the epoch they were "trained" to.
import { init, memory, NnkitError, scope, type Tensor, tensor } from '@nnkit/tensor-wasm';
import { describe, expect, test } from 'vitest';
import type { EpochLogs, TrainableModel } from './callbacks';
import { earlyStopping, type EarlyStoppingOptions } from './early-stopping';

await init();

/** A model whose weights after epoch e hold [e, e] and [10·e]; setWeights copies values in. */
function fakeModel(): TrainableModel & { weights: Tensor[]; dispose(): void } {
  const weights = [tensor([0, 0], [2]), tensor([0], [1])];
  return {
    weights,
    stopTraining: false,
    getWeights: () => weights,
    setWeights: (ws) => {
      for (let i = 0; i < ws.length; i++) weights[i].assign(ws[i]);
    },
    dispose: () => {
      for (const w of weights) w.dispose();
    },
  };
}

/** Runs a training loop over per-epoch logs; returns the epochs run and the final weights. */
async function train(opts: EarlyStoppingOptions, curve: Array<Partial<EpochLogs>>) {
  const model = fakeModel();
  const cb = earlyStopping(opts);
  const before = memory();
  cb.setModel?.(model);
  await cb.onTrainBegin?.();
  let epochs = 0;
  for (let e = 0; e < curve.length && !model.stopTraining; e++) {
    await cb.onEpochBegin?.(e);
    model.weights[0].assign([e, e]);
    model.weights[1].assign([10 * e]);
    // Epochs run inside scope(), as a training loop would: the kept clones must survive it.
    await scope(() => cb.onEpochEnd?.(e, { loss: 1, ...curve[e] } as EpochLogs));
    epochs++;
  }
  await cb.onTrainEnd?.();
  const leaked = memory().tensors - before.tensors;
  const final = [...model.weights[0].toArray(), ...model.weights[1].toArray()];
  model.dispose();
  return { epochs, final, leaked, cb };
}

const losses = (...v: number[]) => v.map((valLoss) => ({ valLoss }));

describe('stopping', () => {
  test('patience 2: stops two epochs after the best, Keras style', async () => {
    // best at epoch 1 (0.5); epochs 2 and 3 do not improve → wait reaches 2 at epoch 3
    const r = await train({ patience: 2 }, losses(0.8, 0.5, 0.6, 0.55, 0.4, 0.3));
    expect(r.epochs).toBe(4);
    expect(r.cb.stoppedEpoch).toBe(3);
    expect(r.cb.bestEpoch).toBe(1);
    expect(r.cb.best).toBe(0.5);
    expect(r.final).toEqual([3, 3, 30]); // no restoring by default
  });
  test('patience 0 stops at the first epoch that does not improve (never at epoch 0)', async () => {
    const r = await train({}, losses(0.8, 0.9, 0.1));
    expect(r.epochs).toBe(2);
    expect(r.cb.stoppedEpoch).toBe(1);
  });
  test('minDelta: improvements smaller than it do not count', async () => {
    const r = await train({ patience: 1, minDelta: 0.05 }, losses(1, 0.97, 0.96, 0.5));
    expect(r.cb.stoppedEpoch).toBe(1);
    // 0.96 beats 0.97 by more than 0.005
    const loose = await train({ patience: 1, minDelta: 0.005 }, losses(1, 0.97, 0.96, 0.5));
    expect(loose.cb.stoppedEpoch).toBe(-1);
    expect(loose.epochs).toBe(4);
  });
  test("mode 'auto' maximizes accuracies", async () => {
    const r = await train({ monitor: 'valAccuracy', patience: 1 }, [0.6, 0.7, 0.65, 0.69, 0.9].map((valAccuracy) => ({ valAccuracy })));
    expect(r.cb.best).toBe(0.7);
    expect(r.cb.stoppedEpoch).toBe(2);
    const explicit = await train({ monitor: 'valAccuracy', mode: 'min', patience: 0 }, [0.6, 0.7].map((valAccuracy) => ({ valAccuracy })));
    expect(explicit.cb.stoppedEpoch).toBe(1);
  });
  test('baseline: patience restarts only once the value beats it', async () => {
    // Without a baseline epoch 1 resets the wait and training stops at epoch 3; with it the wait
    // keeps counting from epoch 0 and reaches 2 at the first epoch that does not improve.
    expect((await train({ patience: 2 }, losses(0.8, 0.6, 0.7, 0.65, 0.2))).cb.stoppedEpoch).toBe(3);
    const r = await train({ patience: 2, baseline: 0.3 }, losses(0.8, 0.6, 0.7, 0.65, 0.2));
    expect(r.cb.stoppedEpoch).toBe(2);
    expect(r.cb.best).toBe(0.6);
    // As in Keras, an epoch that improves never stops training, baseline or not.
    expect((await train({ patience: 1, baseline: 0.1 }, losses(0.8, 0.6, 0.5, 0.4))).cb.stoppedEpoch).toBe(-1);
    const beaten = await train({ patience: 2, baseline: 0.3 }, losses(0.8, 0.25, 0.5, 0.45, 0.2));
    expect(beaten.cb.stoppedEpoch).toBe(3);
  });
});

test('a NaN value (diverged training) never counts as an improvement', async () => {
  const r = await train({ patience: 1, restoreBestWeights: true }, losses(0.5, Number.NaN, 0.1));
  expect(r.cb.stoppedEpoch).toBe(1);
  expect(r.cb.best).toBe(0.5);
  expect(r.final).toEqual([0, 0, 0]);
  const nanFirst = await train({ patience: 2 }, losses(Number.NaN, 0.4, 0.3));
  expect(nanFirst.cb.best).toBe(0.3);
});

test('startFromEpoch: epochs before it are not watched', async () => {
  // Epoch 0's 0.1 would be the best; from epoch 2 on the best is 0.5 at epoch 2.
  const r = await train({ patience: 1, startFromEpoch: 2, restoreBestWeights: true }, losses(0.1, 0.9, 0.5, 0.6, 0.7));
  expect(r.cb.best).toBe(0.5);
  expect(r.cb.stoppedEpoch).toBe(3);
  expect(r.final).toEqual([2, 2, 20]);
});

describe('restoreBestWeights', () => {
  test('on an early stop the model ends with the best epoch’s weights, with no leak', async () => {
    const r = await train({ patience: 2, restoreBestWeights: true }, losses(0.8, 0.5, 0.6, 0.55, 0.4));
    expect(r.final).toEqual([1, 1, 10]);
    expect(r.leaked).toBe(0);
  });
  test('also when training runs all its epochs (Keras 3)', async () => {
    const r = await train({ patience: 5, restoreBestWeights: true }, losses(0.8, 0.5, 0.3, 0.6, 0.55));
    expect(r.cb.stoppedEpoch).toBe(-1);
    expect(r.final).toEqual([2, 2, 20]);
    expect(r.leaked).toBe(0);
  });
  test('the first epoch’s weights are kept when nothing beats the baseline', async () => {
    const r = await train({ patience: 1, baseline: 0.1, restoreBestWeights: true }, losses(0.8, 0.9, 0.95));
    expect(r.final).toEqual([0, 0, 0]);
  });
  test('a callback reused for a second training starts afresh', async () => {
    const model = fakeModel();
    const cb = earlyStopping({ patience: 1, restoreBestWeights: true });
    cb.setModel?.(model);
    for (const curve of [[0.5, 0.9, 0.9], [0.9, 0.8, 0.7]]) {
      model.stopTraining = false;
      cb.onTrainBegin?.();
      for (let e = 0; e < curve.length && !model.stopTraining; e++) {
        model.weights[0].assign([e, e]);
        cb.onEpochEnd?.(e, { loss: 1, valLoss: curve[e] });
      }
      cb.onTrainEnd?.();
    }
    expect(cb.best).toBe(0.7);
    expect(Array.from(model.weights[0].toArray())).toEqual([2, 2]);
    model.dispose();
  });
});

describe('bad input', () => {
  test.each([
    [{ patience: -1 }, /patience -1 must be an integer ≥ 0/],
    [{ patience: 1.5 }, /patience 1.5/],
    [{ mode: 'up' as never }, /mode 'up' must be 'auto', 'min' or 'max'/],
    [{ minDelta: Number.NaN }, /minDelta NaN/],
    [{ baseline: Number.POSITIVE_INFINITY }, /baseline Infinity/],
    [{ monitor: '' }, /monitor "" must be the name of an epoch log/],
    [{ startFromEpoch: -2 }, /startFromEpoch -2 must be an integer ≥ 0/],
  ])('%o', (opts, message) => {
    expect(() => earlyStopping(opts)).toThrow(NnkitError);
    expect(() => earlyStopping(opts)).toThrow(message);
  });
  test('a monitor missing from the logs is named with the logs that exist', () => {
    const cb = earlyStopping();
    cb.onTrainBegin?.();
    expect(() => cb.onEpochEnd?.(0, { loss: 0.5, accuracy: 0.9 })).toThrow(
      "monitor 'valLoss' is missing from the logs of epoch 0 (available: loss, accuracy)",
    );
  });
});
