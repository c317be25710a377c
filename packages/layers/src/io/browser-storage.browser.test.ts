// In Chromium: IndexedDB in TensorFlow.js's layout, both directions against the real TensorFlow.js
// running in the page, and loading from a URL with fetch.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { adam } from '@nnkit/optimizers';
import { init, randn, type Tensor } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { activation } from '../activation-layer';
import { batchNorm } from '../batch-norm';
import { dense } from '../dense';
import { dropout } from '../dropout';
import { sequential } from '../sequential';
import { loadModel } from './load-model';

/** The bound on float32 predictions of the two libraries. */
const INTEROP_TOLERANCE = 1e-5;

beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function tfPredict(model: tfl.LayersModel, x: Tensor): Float32Array {
  const xs = tf.tensor2d(Float32Array.from(x.toArray()), x.shape as [number, number]);
  const y = model.predict(xs) as tf.Tensor;
  const out = y.dataSync() as Float32Array;
  tf.dispose([xs, y]);
  return out;
}

async function trained() {
  const model = sequential([dense(8, { activation: 'relu' }), batchNorm(), dropout(0.2), dense(4, { activation: 'leakyRelu' }), activation('softmax')], { inputShape: [3], seed: 3 });
  model.compile({ loss: 'meanSquaredError', optimizer: adam({ learningRate: 0.05 }) });
  await model.fit(randn([32, 3], { seed: 1 }), randn([32, 4], { seed: 2 }), { epochs: 2, batchSize: 8 });
  return model;
}

test('indexeddb:// round trip in nnkit, with the optimizer, and tf.loadLayersModel reads the same record', async () => {
  const model = await trained();
  await model.save('indexeddb://nnkit-browser-test', { includeOptimizer: true });
  const x = randn([10, 3], { seed: 4 });
  const loaded = await loadModel('indexeddb://nnkit-browser-test');
  expect(Array.from(loaded.predict(x).toArray())).toEqual(Array.from(model.predict(x).toArray()));
  expect(loaded.optimizer).not.toBeNull();
  const tfModel = await tfl.loadLayersModel('indexeddb://nnkit-browser-test');
  expect(maxAbsDiff(tfPredict(tfModel, x), model.predict(x).toArray())).toBeLessThanOrEqual(INTEROP_TOLERANCE);
  tfModel.dispose();
});

test('a model TensorFlow.js saved to indexeddb:// loads in nnkit and predicts the same', async () => {
  const m = tfl.sequential();
  m.add(tfl.layers.dense({ units: 6, inputShape: [3], activation: 'tanh' }));
  m.add(tfl.layers.batchNormalization());
  m.add(tfl.layers.dense({ units: 2, activation: 'sigmoid' }));
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const xs = tf.randomNormal([24, 3], 0, 1, 'float32', 5);
  await m.fit(xs, tf.randomUniform([24, 2], 0, 1, 'float32', 6), { epochs: 2, verbose: 0 });
  await m.save('indexeddb://tfjs-browser-test');
  const x = randn([10, 3], { seed: 7 });
  const loaded = await loadModel('indexeddb://tfjs-browser-test');
  expect(maxAbsDiff(loaded.predict(x).toArray(), tfPredict(m, x))).toBeLessThanOrEqual(INTEROP_TOLERANCE);
  await expect(loadModel('indexeddb://no-such-model')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  m.dispose();
});

test('a URL (relative to the page) loads through fetch, which is asked only for model.json and the weights beside it', async () => {
  const model = await trained();
  const { modelJson, weights } = await model.save();
  const files: Record<string, Uint8Array> = { 'model.json': new TextEncoder().encode(JSON.stringify(modelJson)), 'weights.bin': weights };
  const asked: string[] = [];
  const fetchFromMemory = (async (url: string) => {
    asked.push(url);
    const name = new URL(url).pathname.split('/').pop()!;
    return files[name] ? new Response(files[name] as Uint8Array<ArrayBuffer>) : new Response(null, { status: 404 });
  }) as typeof fetch;
  const loaded = await loadModel('models/demo/model.json', { fetch: fetchFromMemory });
  const x = randn([5, 3], { seed: 8 });
  expect(Array.from(loaded.predict(x).toArray())).toEqual(Array.from(model.predict(x).toArray()));
  const base = new URL('models/demo/', location.href).href;
  expect(asked).toEqual([`${base}model.json`, `${base}weights.bin`]);
  await expect(model.save('./some/dir')).rejects.toMatchObject({ code: 'UNSUPPORTED_TARGET' });
});
