import { moons } from '@nnkit/data';
import { adam, exponentialDecay, sgd } from '@nnkit/optimizers';
import { earlyStopping, l2 } from '@nnkit/regularizers';
import { accuracy as metricsAccuracy } from '@nnkit/metrics';
import { fill, init, NnkitError, type Tensor, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { dense } from './dense';
import { dropout } from './dropout';
import { sequential } from './sequential';
import { plainSgd } from './test-utils';
import type { DivergedError } from './fit';
import type { Callback } from './types';

beforeAll(async () => {
  await init();
});

const weightsOf = (model: { getWeights(): Tensor[] }) => model.getWeights().map((w) => Array.from(w.toArray()));

function classifier(seed = 1) {
  return sequential([dense(8, { activation: 'relu', init: 'he' }), dense(2)], { inputShape: [2], seed });
}

test('history: per-epoch loss, accuracy, validation numbers, learning rate and per-layer gradient norms', async () => {
  const { x, labels } = moons({ n: 120, noise: 0.1, seed: 1 });
  const val = moons({ n: 40, noise: 0.1, seed: 2 });
  const model = classifier();
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
  const history = await model.fit(x, labels, { epochs: 5, batchSize: 32, validationData: [val.x, val.labels] });
  expect(history.epochs).toHaveLength(5);
  for (const e of history.epochs) {
    expect(Object.keys(e).sort()).toEqual(['accuracy', 'loss', 'lr', 'valAccuracy', 'valLoss']);
    expect(e.lr).toBe(0.01);
  }
  expect(history.epochs[4].loss).toBeLessThan(history.epochs[0].loss);
  const last = model.evaluate(val.x, val.labels);
  expect(history.epochs[4].valLoss).toBeCloseTo(last.loss, 6);
  expect(history.epochs[4].valAccuracy).toBe(last.accuracy);
  expect(Object.keys(history.gradientNorms[0])).toEqual(['dense_1', 'dense_2']);
  expect(history.gradientNorms.every((g) => g.dense_1 > 0 && Number.isFinite(g.dense_2))).toBe(true);
});

test('batch gradient descent: the epoch cost is J before the update, regularization included', async () => {
  const { x, labels } = moons({ n: 60, noise: 0.1, seed: 4 });
  const lambda = 0.7;
  const model = sequential([dense(5, { activation: 'tanh', regularizer: l2(lambda) }), dense(2, { regularizer: l2(lambda) })], { inputShape: [2], seed: 2 });
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: 0.5 }) });
  const before = model.evaluate(x, labels);
  let sumSq = 0;
  for (const w of [model.getWeights()[0], model.getWeights()[2]]) for (const v of w.toArray()) sumSq += v * v;
  const dataOnly = sequential([dense(5, { activation: 'tanh' }), dense(2)], { inputShape: [2], seed: 2 });
  dataOnly.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: 0.5 }) });
  const dataLoss = dataOnly.evaluate(x, labels).loss;
  // The course's cost: J = (1/m)·Σ L + λ/(2m)·Σ‖W‖²_F.
  expect(before.loss).toBeCloseTo(dataLoss + (lambda / (2 * 60)) * sumSq, 5);
  const history = await model.fit(x, labels, { epochs: 2, batchSize: 60 });
  expect(history.epochs[0].loss).toBeCloseTo(before.loss, 5);
});

test('mini-batches: a smaller last batch, batch GD and SGD as the two ends', async () => {
  const { x, labels } = moons({ n: 10, noise: 0.1, seed: 1 });
  for (const [batchSize, expected] of [[4, [4, 4, 2]], [10, [10]], [1, new Array(10).fill(1)], [64, [10]]] as const) {
    const model = classifier();
    const seen: number[] = [];
    const optimizer = plainSgd(0.1);
    const counting = { ...optimizer, step(params: Parameters<typeof optimizer.step>[0]) { seen.push(-1); optimizer.step(params); } };
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: counting });
    const batches: number[] = [];
    const cb: Callback = { onBatchEnd: (b) => { batches.push(b); } };
    await model.fit(x, labels, { epochs: 1, batchSize, callbacks: [cb] });
    expect(batches.length).toBe(expected.length);
    expect(seen.length).toBe(expected.length);
  }
});

test('seeded: the same seeds give the same weights; another fit seed another batch order', async () => {
  const { x, labels } = moons({ n: 100, noise: 0.2, seed: 5 });
  const run = async (fitSeed: number) => {
    const model = sequential([dense(6, { activation: 'relu', init: 'he' }), dropout(0.3), dense(2)], { inputShape: [2], seed: 11 });
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.01 }) });
    await model.fit(x, labels, { epochs: 3, batchSize: 16, seed: fitSeed });
    return weightsOf(model);
  };
  expect(await run(1)).toEqual(await run(1));
  expect(await run(2)).not.toEqual(await run(1));
});

test('callbacks run in order, can stop training, and earlyStopping restores the best weights', async () => {
  const { x, labels } = moons({ n: 64, noise: 0.1, seed: 1 });
  const model = classifier();
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: 0.1 }) });
  const events: string[] = [];
  const cb: Callback = {
    setModel: () => events.push('setModel'),
    onTrainBegin: () => { events.push('trainBegin'); },
    onEpochBegin: (e) => { events.push(`epochBegin ${e}`); },
    onEpochEnd: async (e) => {
      await Promise.resolve();
      events.push(`epochEnd ${e}`);
      if (e === 1) model.stopTraining = true;
    },
    onTrainEnd: (logs) => { events.push(`trainEnd ${logs ? 'logs' : 'none'}`); },
  };
  const history = await model.fit(x, labels, { epochs: 10, batchSize: 32, callbacks: [cb] });
  expect(events).toEqual(['setModel', 'trainBegin', 'epochBegin 0', 'epochEnd 0', 'epochBegin 1', 'epochEnd 1', 'trainEnd logs']);
  expect(history.epochs).toHaveLength(2);
  expect(history.stopped).toBe(true);

  // A validation set the model cannot learn (labels flipped) makes valLoss rise; the best epoch is the first.
  const flipped = Int32Array.from(labels, (c) => 1 - c);
  const es = earlyStopping({ monitor: 'valLoss', patience: 2, restoreBestWeights: true });
  const fresh = classifier(3);
  fresh.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.05 }) });
  let bestWeights: number[][] = [];
  let bestLoss = Infinity;
  const tracker: Callback = {
    onEpochEnd: (_, logs) => {
      if (logs.valLoss! < bestLoss) {
        bestLoss = logs.valLoss!;
        bestWeights = weightsOf(fresh);
      }
    },
  };
  const h = await fresh.fit(x, labels, { epochs: 30, batchSize: 16, validationData: [x, flipped], callbacks: [tracker, es] });
  expect(h.epochs.length).toBeLessThan(30);
  expect(weightsOf(fresh)).toEqual(bestWeights);
});

test('lossWithoutDropout reports the training cost in inference mode; custom metric functions', async () => {
  const { x, labels } = moons({ n: 80, noise: 0.1, seed: 1 });
  const model = sequential([dense(16, { activation: 'relu', init: 'he' }), dropout(0.5), dense(2)], { inputShape: [2], seed: 1 });
  const metricsAcc = (yTrue: unknown, yPred: Tensor) => metricsAccuracy(yTrue as Int32Array, yPred);
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.01 }), metrics: ['accuracy', metricsAcc] });
  const history = await model.fit(x, labels, { epochs: 3, batchSize: 16, lossWithoutDropout: true });
  const last = history.epochs[2];
  const clean = model.evaluate(x, labels);
  expect(last.lossWithoutDropout).toBeCloseTo(clean.loss, 6);
  expect(last.metricsAcc).toBe(clean.accuracy);
  expect(last.loss).not.toBeCloseTo(last.lossWithoutDropout!, 6);
});

test('divergence stops fit with an error naming epoch, batch and layer; the weights stay finite', async () => {
  const { x, labels } = moons({ n: 64, noise: 0.1, seed: 1 });
  const model = sequential([dense(8, { activation: 'relu', init: 'he' }), dense(2)], { inputShape: [2], seed: 1 });
  // A learning rate of 1e36 overflows float32 logits after the first update.
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: 1e36 }) });
  let lastGood: number[][] = [];
  const cb: Callback = { onBatchEnd: () => { lastGood = weightsOf(model); } };
  let error: unknown;
  try {
    await model.fit(x, labels, { epochs: 3, batchSize: 16, callbacks: [cb] });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(NnkitError);
  expect((error as NnkitError).code).toBe('DIVERGED');
  expect((error as Error).message).toMatch(/fit\(\): training diverged at epoch 1 of 3, batch 2 of 4: the loss is (NaN|Infinity) because layer 'dense_\d' output (NaN|-?Infinity)/);
  expect((error as Error).message).toMatch(/keeps its last finite weights/);
  // It diverged in the first epoch: the history it carries holds no finished epoch.
  expect((error as DivergedError).history.epochs).toEqual([]);
  expect(weightsOf(model)).toEqual(lastGood);
  expect(weightsOf(model).flat().every(Number.isFinite)).toBe(true);

  // trainStep refuses the update the same way.
  const before = weightsOf(model);
  expect(() => model.trainStep(x, labels)).toThrow(/trainStep\(\): training diverged/);
  expect(weightsOf(model)).toEqual(before);
});

test('a run that diverges after two good epochs carries their history in the error', async () => {
  const { x, labels } = moons({ n: 64, noise: 0.1, seed: 1 });
  const model = sequential([dense(8, { activation: 'relu', init: 'he' }), dense(2)], { inputShape: [2], seed: 1 });
  const optimizer = sgd({ learningRate: 0.1 });
  model.compile({ loss: 'softmaxCrossEntropy', optimizer });
  // The course's "manual decay", misused: a learning rate that overflows float32 from epoch 3 on.
  const cb: Callback = { onEpochBegin: (epoch) => { if (epoch === 2) optimizer.learningRate = 1e36; } };
  const error = (await model.fit(x, labels, { epochs: 5, batchSize: 16, callbacks: [cb] }).catch((e) => e)) as DivergedError;
  expect(error.code).toBe('DIVERGED');
  expect(error.message).toMatch(/at epoch 3 of 5/);
  expect(error.history.epochs).toHaveLength(2);
  expect(error.history.epochs.every((e) => Number.isFinite(e.loss))).toBe(true);
});

test('epochs 0 trains nothing; fit may take loss and optimizer directly and builds the model from x', async () => {
  const { x, labels } = moons({ n: 20, noise: 0.1, seed: 1 });
  const model = sequential([dense(4, { activation: 'relu' }), dense(2)], { seed: 1 });
  const history = await model.fit(x, labels, { epochs: 0, loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: 0.1 }) });
  expect(history.epochs).toEqual([]);
  expect(model.inputShape).toEqual([2]);
  const y = tensor(Float32Array.from(labels, (c) => c), [20, 1]);
  const binary = sequential([dense(4, { activation: 'tanh' }), dense(1)], { seed: 1 });
  const h = await binary.fit(x, y, { epochs: 2, batchSize: 5, loss: 'sigmoidCrossEntropy', optimizer: sgd({ learningRate: 0.1 }), metrics: ['accuracy'] });
  expect(h.epochs[1].accuracy).toBeGreaterThanOrEqual(0);
});

test('a per-epoch learning-rate schedule advances with the epochs and is logged', async () => {
  const { x, labels } = moons({ n: 40, noise: 0.1, seed: 1 });
  const model = classifier();
  const schedule = exponentialDecay({ initial: 0.1, decayRate: 0.5, stepping: 'epoch' });
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: schedule }) });
  const history = await model.fit(x, labels, { epochs: 4, batchSize: 20 });
  // The course's 0.95^epoch decay, here 0.5^epoch: 0.1, 0.05, 0.025, 0.0125.
  expect(history.epochs.map((e) => e.lr)).toEqual([0.1, 0.05, 0.025, 0.0125]);
});

test('a non-finite gradient under a finite loss is caught and names its layer; no update is applied', async () => {
  const { x, labels } = moons({ n: 32, noise: 0.1, seed: 1 });
  const poisoned = { penalty: () => 0, addGrad: (_w: Tensor, g: Tensor) => { fill(g, Number.NaN); } };
  const model = sequential([dense(4, { activation: 'relu' }), dense(2, { regularizer: poisoned, name: 'head' })], { inputShape: [2], seed: 1 });
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: 0.1 }) });
  const before = weightsOf(model);
  await expect(model.fit(x, labels, { epochs: 2, batchSize: 8 })).rejects.toThrow(
    /fit\(\): training diverged at epoch 1 of 2, batch 1 of 4: the gradient of layer 'head' is not finite/,
  );
  expect(weightsOf(model)).toEqual(before);
});

test('fit in two calls (the second with initialEpoch) trains exactly as one call: batch orders depend only on the stream', async () => {
  const { x, labels } = moons({ n: 50, noise: 0.1, seed: 4 });
  const make = () => {
    const m = sequential([dense(8, { activation: 'relu' }), dropout(0.2), dense(2)], { inputShape: [2], seed: 9 });
    m.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: inverseEpochRate }) });
    return m;
  };
  // A per-epoch schedule: wrong epoch numbers in the second call would change the updates.
  const inverseEpochRate = exponentialDecay({ initial: 0.2, decayRate: 0.5, stepping: 'epoch' });
  const once = make();
  await once.fit(x, labels, { epochs: 4, batchSize: 16 });
  const twice = make();
  await twice.fit(x, labels, { epochs: 2, batchSize: 16 });
  const history = await twice.fit(x, labels, { epochs: 4, initialEpoch: 2, batchSize: 16 });
  expect(history.epochs.map((e) => e.lr)).toEqual([0.05, 0.025]);
  expect(weightsOf(twice)).toEqual(weightsOf(once));
  await expect(twice.fit(x, labels, { initialEpoch: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
});
