// Round trips in memory (so they run in Node and Chromium): weights, configs, dtypes, the optimizer
// and random streams, and resuming training bit for bit.
import { adam, momentum, rmsprop, sgd } from '@nnkit/optimizers';
import { l2 } from '@nnkit/regularizers';
import { init, NnkitError, randn } from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { activation } from '../activation-layer';
import { batchNorm } from '../batch-norm';
import { type Dense, dense } from '../dense';
import { dropout } from '../dropout';
import { sequential } from '../sequential';
import { loadModel } from './load-model';

beforeAll(async () => {
  await init();
});

function build(seed: number, dtype: 'float32' | 'float64' = 'float32') {
  return sequential([
    dense(12, { activation: 'relu', init: 'he', regularizer: l2(0.1) }), batchNorm(), dropout(0.25),
    dense(6, { activation: 'leakyRelu', alpha: 0.05, init: { scale: 0.3 } }), dense(3),
  ], { inputShape: [4], seed, dtype });
}

const x = () => randn([50, 4], { seed: 11 });
const labels = Array.from({ length: 50 }, (_, i) => (i * 7) % 3);

function weightBits(model: ReturnType<typeof build>): number[][] {
  return model.getWeights().map((w) => Array.from(w.toArray()));
}

describe.each([
  ['adam', () => adam({ learningRate: 0.01 })],
  ['sgd', () => sgd({ learningRate: 0.1 })],
  ['momentum', () => momentum({ learningRate: 0.05, nesterov: true })],
  ['rmsprop (centered)', () => rmsprop({ learningRate: 0.01, centered: true })],
])('resuming with %s', (_name, makeOptimizer) => {
  test('2 epochs + save + load + 2 epochs gives bit-identical weights to 4 epochs', async () => {
    const data = x();
    const straight = build(3);
    straight.compile({ loss: 'softmaxCrossEntropy', optimizer: makeOptimizer(), metrics: ['accuracy'] });
    const h4 = await straight.fit(data, labels, { epochs: 4, batchSize: 16 });

    const first = build(3);
    first.compile({ loss: 'softmaxCrossEntropy', optimizer: makeOptimizer(), metrics: ['accuracy'] });
    await first.fit(data, labels, { epochs: 2, batchSize: 16 });
    const saved = await first.save(undefined, { includeOptimizer: true });
    first.dispose();
    const resumed = await loadModel(saved);
    expect(resumed.loss?.name).toBe('softmaxCrossEntropy');
    expect(resumed.metricNames).toEqual(['accuracy']);
    const h2 = await resumed.fit(data, labels, { epochs: 4, initialEpoch: 2, batchSize: 16 });
    expect(weightBits(resumed)).toEqual(weightBits(straight));
    expect(h2.epochs.map((e) => e.loss)).toEqual(h4.epochs.slice(2).map((e) => e.loss));
    resumed.dispose();
    straight.dispose();
  });
});

test('without includeOptimizer the resumed run differs (the test above can fail)', async () => {
  const data = x();
  const straight = build(3);
  straight.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.01 }) });
  await straight.fit(data, labels, { epochs: 4, batchSize: 16 });
  const first = build(3);
  first.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.01 }) });
  await first.fit(data, labels, { epochs: 2, batchSize: 16 });
  const resumed = await loadModel(await first.save());
  expect(resumed.optimizer).toBeNull();
  resumed.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.01 }) });
  await resumed.fit(data, labels, { epochs: 4, initialEpoch: 2, batchSize: 16 });
  expect(weightBits(resumed)).not.toEqual(weightBits(straight));
});

test('layer configs survive: names, activations, alpha, initializers, regularizers, batch-norm settings', async () => {
  const model = sequential([
    dense(5, { activation: 'leakyRelu', alpha: 0.3, init: 'lecun', regularizer: l2(0.7), name: 'hidden' }),
    batchNorm({ momentum: 0.8, epsilon: 1e-4 }), activation('softmax'), dropout(0.1),
    dense(2, { useBias: false, init: 'zeros' }),
  ], { inputShape: [3], seed: 1 });
  const loaded = await loadModel(await model.save());
  expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
  expect(loaded.seed).toBe(1);
  expect((loaded.layers[0] as Dense).regularizer!.penalty(loaded.getWeights()[0], 10)).toBe(
    (model.layers[0] as Dense).regularizer!.penalty(model.getWeights()[0], 10),
  );
});

test('float64 models: float32 in the file by default, full precision with { dtype: "float64" }', async () => {
  const model = build(5, 'float64');
  const data = randn([20, 4], { seed: 2, dtype: 'float64' });
  const exact = await model.save(undefined, { dtype: 'float64' });
  expect(exact.modelJson.weightsManifest[0].weights.every((w) => w.dtype === 'float64')).toBe(true);
  const same = await loadModel(exact);
  expect(same.dtype).toBe('float64');
  expect(Array.from(same.predict(data).toArray())).toEqual(Array.from(model.predict(data).toArray()));
  const rounded = await model.save();
  expect(rounded.modelJson.weightsManifest[0].weights.every((w) => w.dtype === 'float32')).toBe(true);
  expect(rounded.weights.byteLength * 2).toBe(exact.weights.byteLength);
  const near = await loadModel(rounded);
  expect(near.dtype).toBe('float64');
  const a = near.predict(data).toArray();
  const b = model.predict(data).toArray();
  const diff = Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
  expect(diff).toBeGreaterThan(0);
  expect(diff).toBeLessThan(1e-5);
  expect((await loadModel(rounded, { dtype: 'float32' })).dtype).toBe('float32');
});

test('a custom or uncompiled optimizer cannot be saved with includeOptimizer; a schedule needs the optimizer at load', async () => {
  const model = build(1);
  await expect(model.save(undefined, { includeOptimizer: true })).rejects.toMatchObject({ code: 'NOT_COMPILED' });
  model.compile({ loss: 'meanSquaredError', optimizer: { learningRate: 0.1, step() {} } });
  await expect(model.save(undefined, { includeOptimizer: true })).rejects.toMatchObject({ code: 'UNSUPPORTED_OPTIMIZER' });
  const schedule = (t: number) => 0.1 / t;
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: schedule }) });
  await model.fit(x(), labels, { epochs: 1, batchSize: 25 });
  const saved = await model.save(undefined, { includeOptimizer: true });
  await expect(loadModel(saved)).rejects.toMatchObject({ code: 'OPTIMIZER_REQUIRED' });
  const given = adam({ learningRate: schedule });
  const loaded = await loadModel(saved, { optimizer: given });
  expect(loaded.optimizer).toBe(given);
  expect(given.iterations).toBe(2);
});

test('save refuses an unbuilt model and bad options', async () => {
  const unbuilt = sequential([dense(2)]);
  await expect(unbuilt.save()).rejects.toBeInstanceOf(NnkitError);
  const model = build(1);
  await expect(model.save(undefined, { dtype: 'int8' as never })).rejects.toMatchObject({ code: 'UNKNOWN_DTYPE' });
  await expect(model.save(undefined, { weightsFileName: '../x.bin' })).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
  await expect(model.save('https://example.com/model')).rejects.toMatchObject({ code: 'UNSUPPORTED_TARGET' });
});

test('weights under a model-name prefix (as Keras converters write them) are found; an ambiguous suffix is refused', async () => {
  const model = build(2);
  const saved = await model.save();
  const prefixed = JSON.parse(JSON.stringify(saved.modelJson));
  for (const w of prefixed.weightsManifest[0].weights) w.name = `sequential/${w.name}`;
  const loaded = await loadModel({ modelJson: prefixed, weights: saved.weights });
  const data = x();
  expect(Array.from(loaded.predict(data).toArray())).toEqual(Array.from(model.predict(data).toArray()));
  const twice = JSON.parse(JSON.stringify(saved.modelJson));
  twice.weightsManifest[0].weights[0].name = 'a/dense_1/kernel';
  twice.weightsManifest[0].weights.push({ ...twice.weightsManifest[0].weights[0], name: 'b/dense_1/kernel' });
  const bytes = new Uint8Array(saved.weights.byteLength + 4 * 4 * 12);
  bytes.set(saved.weights);
  await expect(loadModel({ modelJson: twice, weights: bytes })).rejects.toMatchObject({ code: 'INVALID_MODEL', message: expect.stringContaining('2 weights end in "dense_1/kernel"') });
});
