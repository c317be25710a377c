import { moons } from '@nnkit/data';
import { adam } from '@nnkit/optimizers';
import { l2 } from '@nnkit/regularizers';
import { backendInfo, init, memory, zeros } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { activation } from './activation-layer';
import { batchNorm } from './batch-norm';
import { dense } from './dense';
import { dropout } from './dropout';
import { sequential } from './sequential';
import { plainSgd } from './test-utils';
import type { Callback } from './types';

beforeAll(async () => {
  await init();
});

/** Tensor ids count every Tensor object made (views too): two probes one id apart mean nothing was created in between. */
function tensorCounter(): () => number {
  const probe = () => {
    const t = zeros([1]);
    t.dispose();
    return t.id;
  };
  let last = probe();
  return () => {
    const now = probe();
    const created = now - last - 1;
    last = now;
    return created;
  };
}

function bigModel() {
  return sequential(
    [dense(32, { useBias: false, init: 'he', regularizer: l2(0.01) }), batchNorm(), activation('relu'), dropout(0.2), dense(16, { activation: 'tanh' }), dense(2)],
    { inputShape: [2], seed: 1 },
  );
}

test('memory() after epoch 2 equals memory() after epoch 20 (Adam, batch norm, dropout, L2, validation)', async () => {
  const { x, labels } = moons({ n: 200, noise: 0.2, seed: 1 });
  const val = moons({ n: 50, noise: 0.2, seed: 2 });
  const model = bigModel();
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
  const seen: Record<number, { tensors: number; bytes: number }> = {};
  const wasmBytes: Record<number, number> = {};
  const cb: Callback = {
    onEpochEnd: (epoch) => {
      seen[epoch + 1] = memory();
      wasmBytes[epoch + 1] = backendInfo().memoryBytes;
    },
  };
  const before = memory();
  await model.fit(x, labels, { epochs: 20, batchSize: 48, validationData: [val.x, val.labels], lossWithoutDropout: true, callbacks: [cb] });
  expect(seen[20]).toEqual(seen[2]);
  expect(wasmBytes[20]).toBe(wasmBytes[2]);
  // fit frees its batch buffers and snapshots; what remains are the model's and the optimizer's tensors.
  expect(memory().tensors).toBeLessThan(seen[20].tensors);
  model.dispose();
  expect(memory().tensors).toBeLessThan(before.tensors + 12);
});

test('after the first step of each batch size, a training step creates no tensor and allocates no WASM memory', () => {
  const { x, labels } = moons({ n: 64, noise: 0.2, seed: 1 });
  const small = x.rows(0, 24);
  const smallLabels = labels.subarray(0, 24);
  const model = bigModel();
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: plainSgd(0.01) });
  model.trainStep(x, labels, { trainingExamples: 64 });
  model.trainStep(small, smallLabels, { trainingExamples: 64 });
  const count = tensorCounter();
  const bytes = memory().bytes;
  const wasm = backendInfo().memoryBytes;
  for (let i = 0; i < 10; i++) {
    model.trainStep(x, labels, { trainingExamples: 64 });
    model.trainStep(small, smallLabels, { trainingExamples: 64 });
  }
  expect(count()).toBe(0);
  expect(memory().bytes).toBe(bytes);
  expect(backendInfo().memoryBytes).toBe(wasm);
});

test('fit creates no tensors from one epoch to the next (Adam from @nnkit/optimizers, last batch smaller)', async () => {
  const { x, labels } = moons({ n: 100, noise: 0.2, seed: 1 });
  const model = bigModel();
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
  const created: number[] = [];
  let count: (() => number) | null = null;
  const cb: Callback = {
    onEpochEnd: (epoch) => {
      if (epoch === 1) count = tensorCounter();
      else if (count) created.push(count());
    },
  };
  await model.fit(x, labels, { epochs: 6, batchSize: 32, callbacks: [cb] });
  expect(created).toEqual([0, 0, 0, 0]);
});
