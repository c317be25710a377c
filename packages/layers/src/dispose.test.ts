// What model.dispose() frees: the weights and buffers, and the optimizer when the model owns it
// (the one loadModel restored); an optimizer passed to compile or fit stays the caller's. A disposed
// model refuses every use before allocating anything.
import { adam, sgd } from '@nnkit/optimizers';
import { init, memory, type Tensor, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { batchNorm } from './batch-norm';
import { dense } from './dense';
import { loadModel } from './io/load-model';
import { sequential } from './sequential';

let x: Tensor;
const y = [0, 1, 2, 1, 0, 2];

beforeAll(async () => {
  await init();
  x = tensor([0, 1, 2, 3, 3, 2, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0, 2, 2, 0, 1, 1, 0, 3, 3], [6, 4]);
});

const build = () => sequential([dense(5, { activation: 'relu' }), batchNorm(), dense(3)], { inputShape: [4], seed: 3 });

async function savedWithOptimizer() {
  const model = build();
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 1, batchSize: 3 });
  const saved = await model.save(undefined, { includeOptimizer: true });
  model.dispose();
  model.optimizer!.dispose?.();
  return saved;
}

test('loadModel (with its optimizer) → fit → dispose, 20 times, leaves memory() unchanged', async () => {
  const saved = await savedWithOptimizer();
  const before = memory();
  for (let i = 0; i < 20; i++) {
    const model = await loadModel(saved);
    await model.fit(x, y, { epochs: 2, batchSize: 3 });
    model.dispose();
  }
  expect(memory()).toEqual(before);
});

test('an optimizer passed to compile is the caller\'s: dispose() leaves its state, optimizer.dispose() frees it', async () => {
  const before = memory();
  const optimizer = adam({ learningRate: 0.01 });
  const model = build();
  model.compile({ loss: 'softmaxCrossEntropy', optimizer });
  await model.fit(x, y, { epochs: 1, batchSize: 3 });
  const weights = model.countParams();
  model.dispose();
  // Adam's two moments per parameter tensor are still there, and usable with another model.
  expect(optimizer.getState().slots.length).toBe(model.parameters().length);
  expect(optimizer.iterations).toBe(2);
  optimizer.dispose();
  expect(weights).toBeGreaterThan(0);
  expect(memory()).toEqual(before);
});

test('loadModel with the caller\'s optimizer leaves it to the caller; an owned optimizer replaced by compile or fit is freed', async () => {
  const saved = await savedWithOptimizer();
  const before = memory();
  const mine = adam({ learningRate: 0.01 });
  const loaded = await loadModel(saved, { optimizer: mine });
  await loaded.fit(x, y, { epochs: 1, batchSize: 3 });
  loaded.dispose();
  expect(mine.getState().slots.length).toBeGreaterThan(0);
  mine.dispose();
  expect(memory()).toEqual(before);

  const other = sgd({ learningRate: 0.1 });
  for (const replace of ['compile', 'fit'] as const) {
    const model = await loadModel(saved);
    await model.fit(x, y, { epochs: 1, batchSize: 3 }); // the restored Adam now holds its moments
    if (replace === 'compile') model.compile({ loss: 'softmaxCrossEntropy', optimizer: other });
    else await model.fit(x, y, { epochs: 1, batchSize: 3, optimizer: other });
    model.dispose();
  }
  other.dispose();
  expect(memory()).toEqual(before);
});

test('a disposed model refuses predict, evaluate, fit, trainStep and save with DISPOSED, allocating nothing', async () => {
  const model = build();
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: 0.1 }) });
  model.dispose();
  model.dispose(); // twice is harmless
  const before = memory();
  expect(() => model.predict(x)).toThrow(expect.objectContaining({ code: 'DISPOSED', message: expect.stringMatching(/predict\(\): the model was disposed/) }));
  expect(() => model.evaluate(x, y)).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
  expect(() => model.trainStep(x, y)).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
  await expect(model.fit(x, y)).rejects.toMatchObject({ code: 'DISPOSED' });
  await expect(model.save()).rejects.toMatchObject({ code: 'DISPOSED' });
  expect(model.isDisposed).toBe(true);
  expect(memory()).toEqual(before);
});
