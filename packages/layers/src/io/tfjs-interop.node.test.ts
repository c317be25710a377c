// Interop with the real TensorFlow.js (tfjs-core + tfjs-layers on the pure-JS CPU backend): a model
// saved by nnkit loads with tf.loadLayersModel through TensorFlow.js's own HTTP loader (its fetch
// served from the saved folder) and predicts the same, and a Sequential saved by TensorFlow.js
// loads in nnkit and predicts the same. The references are TensorFlow.js's own predictions.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adam } from '@nnkit/optimizers';
import { init, NnkitError, randn, type Tensor } from '@nnkit/tensor-wasm';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { activation } from '../activation-layer';
import { batchNorm } from '../batch-norm';
import { dense } from '../dense';
import { dropout } from '../dropout';
import { sequential } from '../sequential';
import { loadModel } from './load-model';

/** The bound on float32 predictions of the two libraries. */
const INTEROP_TOLERANCE = 1e-5;

let dir: string;
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'nnkit-interop-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** TensorFlow.js's HTTP loader, with its fetch answering from files in `folder`. */
function tfjsFromFolder(folder: string): Promise<tfl.LayersModel> {
  const fetchFunc = async (url: string | URL | Request) => new Response(await readFile(join(folder, new URL(String(url)).pathname.split('/').pop()!)));
  return tfl.loadLayersModel('http://models.test/model.json', { fetchFunc });
}

function tfPredict(model: tfl.LayersModel, x: Tensor): Float32Array {
  const xs = tf.tensor2d(Float32Array.from(x.toArray()), x.shape as [number, number]);
  const y = model.predict(xs) as tf.Tensor;
  const out = y.dataSync() as Float32Array;
  tf.dispose([xs, y]);
  return out;
}

async function trainedNnkitModel(dtype: 'float32' | 'float64') {
  const model = sequential([
    dense(16, { activation: 'relu', init: 'he' }), batchNorm({ momentum: 0.8 }), dropout(0.3), activation('tanh'),
    dense(8, { activation: 'leakyRelu', alpha: 0.2 }), activation('sigmoid'), dense(4, { activation: 'softmax', useBias: false }),
  ], { inputShape: [6], seed: 7, dtype });
  const x = randn([64, 6], { seed: 1, dtype });
  const labels = Array.from({ length: 64 }, (_, i) => i % 4);
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.05 }) });
  await model.fit(x, labels, { epochs: 3, batchSize: 16 });
  return { model, x };
}

test.each(['float32', 'float64'] as const)('an nnkit %s model loads with tf.loadLayersModel and predicts the same', async (dtype) => {
  const { model, x } = await trainedNnkitModel(dtype);
  const folder = join(dir, `nnkit-${dtype}`);
  await model.save(folder);
  const tfModel = await tfjsFromFolder(folder);
  // nnkit's fused leakyRelu dense layer is written as Dense + LeakyReLU for TensorFlow.js.
  expect(tfModel.layers.map((l) => l.getClassName())).toEqual(['Dense', 'BatchNormalization', 'Dropout', 'Activation', 'Dense', 'LeakyReLU', 'Activation', 'Dense']);
  const diff = maxAbsDiff(model.predict(x).toArray(), tfPredict(tfModel, x));
  console.log(`nnkit ${dtype} → TensorFlow.js: max |Δ| = ${diff.toExponential(2)}`);
  expect(diff).toBeLessThanOrEqual(INTEROP_TOLERANCE);
  // And back: the same files load in nnkit as the same layers (leakyRelu fused again), bit for bit in float32.
  const again = await loadModel(folder);
  expect(again.layers.map((l) => l.className)).toEqual(model.layers.map((l) => l.className));
  expect(again.dtype).toBe(dtype);
  const back = maxAbsDiff(again.predict(x).toArray(), model.predict(x).toArray());
  expect(back).toBeLessThanOrEqual(dtype === 'float32' ? 0 : INTEROP_TOLERANCE);
  tfModel.dispose();
});

async function trainedTfjsModel(): Promise<tfl.Sequential> {
  const m = tfl.sequential();
  m.add(tfl.layers.dense({ units: 12, inputShape: [5], activation: 'relu' }));
  m.add(tfl.layers.batchNormalization({ momentum: 0.5 }));
  m.add(tfl.layers.dropout({ rate: 0.25 }));
  m.add(tfl.layers.activation({ activation: 'sigmoid' }));
  m.add(tfl.layers.dense({ units: 6, activation: 'tanh' }));
  m.add(tfl.layers.leakyReLU({ alpha: 0.1 }));
  m.add(tfl.layers.dense({ units: 3, activation: 'softmax', useBias: false }));
  m.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
  const xs = tf.randomNormal([48, 5], 0, 1, 'float32', 3);
  const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 48 }, (_, i) => i % 3), 'int32'), 3);
  // Training moves γ, β and the running statistics away from their initial 1/0.
  await m.fit(xs, ys, { epochs: 3, batchSize: 16, verbose: 0 });
  tf.dispose([xs, ys]);
  return m;
}

async function tfjsArtifacts(m: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await m.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved!;
}

test('a Sequential saved by TensorFlow.js loads in nnkit, from a folder and from memory, and predicts the same', async () => {
  const tfModel = await trainedTfjsModel();
  const artifacts = await tfjsArtifacts(tfModel);
  const folder = join(dir, 'tfjs');
  await rm(folder, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(folder));
  const modelJson = {
    modelTopology: artifacts.modelTopology, format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }],
  };
  await writeFile(join(folder, 'model.json'), JSON.stringify(modelJson));
  await writeFile(join(folder, 'group1-shard1of1.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
  const x = randn([40, 5], { seed: 9 });
  const reference = tfPredict(tfModel, x);
  for (const model of [await loadModel(folder), await loadModel(join(folder, 'model.json')), await loadModel(artifacts as never)]) {
    expect(model.layers.map((l) => l.className)).toEqual(['Dense', 'BatchNormalization', 'Dropout', 'Activation', 'Dense', 'Activation', 'Dense']);
    const diff = maxAbsDiff(model.predict(x).toArray(), reference);
    console.log(`TensorFlow.js → nnkit: max |Δ| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(INTEROP_TOLERANCE);
    model.dispose();
  }
  tfModel.dispose();
});

test('a TensorFlow.js layer that nnkit lacks is refused with an error naming its class', async () => {
  const m = tfl.sequential();
  m.add(tfl.layers.dense({ units: 4, inputShape: [3] }));
  m.add(tfl.layers.layerNormalization());
  const artifacts = await tfjsArtifacts(m);
  const error = await loadModel(artifacts as never).catch((e) => e);
  expect(error).toBeInstanceOf(NnkitError);
  expect(error.code).toBe('UNSUPPORTED_LAYER');
  expect(error.message).toContain('LayerNormalization');
  const elu = tfl.sequential();
  elu.add(tfl.layers.dense({ units: 4, inputShape: [3], activation: 'elu' }));
  const e2 = await loadModel((await tfjsArtifacts(elu)) as never).catch((e) => e);
  expect(e2.code).toBe('UNSUPPORTED_ACTIVATION');
  expect(e2.message).toContain('"elu"');
  m.dispose();
  elu.dispose();
});
