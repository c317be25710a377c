// The checkpoint callback on disk: periodic atomic saves, the best model kept, and a run resumed from
// a checkpoint after a crash ending with the same bits as an uninterrupted run.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adam } from '@nnkit/optimizers';
import { init, randn } from '@nnkit/tensor-wasm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { batchNorm } from '../batch-norm';
import { dense } from '../dense';
import { dropout } from '../dropout';
import { sequential } from '../sequential';
import { CHECKPOINT_WEIGHTS, modelCheckpoint } from './checkpoint';
import { loadModel } from './load-model';

let root: string;
beforeAll(async () => {
  await init();
  root = await mkdtemp(join(tmpdir(), 'nnkit-ckpt-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const data = () => ({ x: randn([60, 5], { seed: 21 }), labels: Array.from({ length: 60 }, (_, i) => (i * 5) % 3), xv: randn([20, 5], { seed: 22 }) });
const valLabels = Array.from({ length: 20 }, (_, i) => i % 3);

function build() {
  const model = sequential([dense(10, { activation: 'relu', init: 'he' }), batchNorm(), dropout(0.3), dense(3)], { inputShape: [5], seed: 8 });
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.02 }), metrics: ['accuracy'] });
  return model;
}

const bits = (m: { getWeights(): { toArray(): ArrayLike<number> }[] }) => m.getWeights().map((w) => Array.from(w.toArray()));

test('every N epochs the folder holds one complete checkpoint: model.json and the weights it names, nothing else', async () => {
  const dir = join(root, 'periodic');
  const { x, labels } = data();
  const model = build();
  const saves: number[] = [];
  const ckpt = modelCheckpoint({ path: dir, every: 2 });
  await model.fit(x, labels, { epochs: 5, batchSize: 16, callbacks: [ckpt, { onEpochEnd: async () => void saves.push(ckpt.lastSavedEpoch ?? 0) }] });
  expect(saves).toEqual([0, 2, 2, 4, 4]);
  const files = (await readdir(dir)).sort();
  expect(files).toHaveLength(2);
  expect(files[0]).toBe('model.json');
  expect(files[1]).toMatch(CHECKPOINT_WEIGHTS);
  expect(files[1]).toMatch(/^weights-e4-/);
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  expect(json.weightsManifest[0].paths).toEqual([files[1]]);
  expect(json.userDefinedMetadata.nnkit.training.epochsCompleted).toBe(4);
});

test('resuming from the checkpoint of a crashed run gives bit-identical weights to an uninterrupted run', async () => {
  const { x, labels } = data();
  const straight = build();
  await straight.fit(x, labels, { epochs: 4, batchSize: 16 });

  const dir = join(root, 'crash');
  const crashing = build();
  const crash = { onEpochEnd: (epoch: number) => {
    if (epoch === 1) throw new Error('power failure');
  } };
  await expect(crashing.fit(x, labels, { epochs: 4, batchSize: 16, callbacks: [modelCheckpoint({ path: dir }), crash] })).rejects.toThrow('power failure');
  // A crash in the middle of the next checkpoint leaves new weights that no model.json names yet.
  await writeFile(join(dir, 'weights-e3-0123456789ab.bin'), new Uint8Array(17));
  const resumed = await loadModel(dir);
  const info = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')).userDefinedMetadata.nnkit.training;
  expect(info.epochsCompleted).toBe(2);
  await resumed.fit(x, labels, { epochs: 4, initialEpoch: info.epochsCompleted, batchSize: 16 });
  expect(bits(resumed)).toEqual(bits(straight));
});

test('saveBestOnly keeps the model of the best validation loss; {epoch} keeps one folder per checkpoint', async () => {
  const { x, labels, xv } = data();
  const best = join(root, 'best');
  const model = build();
  const history = await model.fit(x, labels, {
    epochs: 6, batchSize: 16, validationData: [xv, valLabels],
    callbacks: [modelCheckpoint({ path: best, saveBestOnly: true }), modelCheckpoint({ path: join(root, 'each', 'e{epoch}'), every: 3, includeOptimizer: false })],
  });
  const losses = history.epochs.map((e) => e.valLoss!);
  const bestEpoch = losses.indexOf(Math.min(...losses)) + 1;
  const json = JSON.parse(await readFile(join(best, 'model.json'), 'utf8'));
  expect(json.userDefinedMetadata.nnkit.training.epochsCompleted).toBe(bestEpoch);
  const kept = await loadModel(best);
  expect(kept.evaluate(xv, valLabels).loss).toBeCloseTo(Math.min(...losses), 6);
  expect((await readdir(join(root, 'each'))).sort()).toEqual(['e3', 'e6']);
  expect((await loadModel(join(root, 'each', 'e6'))).optimizer).toBeNull();
  const byAccuracy = modelCheckpoint({ path: join(root, 'acc'), saveBestOnly: true, monitor: 'valAccuracy' });
  await build().fit(x, labels, { epochs: 2, batchSize: 16, validationData: [xv, valLabels], callbacks: [byAccuracy] });
  expect(byAccuracy.best).toBeGreaterThan(0);
});

test('a monitor missing from the logs and bad options are clear errors', async () => {
  const { x, labels } = data();
  await expect(build().fit(x, labels, { epochs: 1, callbacks: [modelCheckpoint({ path: join(root, 'nope'), saveBestOnly: true })] }))
    .rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('"valLoss" is not in the epoch logs') });
  expect(() => modelCheckpoint({ path: '', every: 1 })).toThrow(/path must be/);
  expect(() => modelCheckpoint({ path: 'x', every: 0 })).toThrow(/every must be a positive integer, got 0/);
});
