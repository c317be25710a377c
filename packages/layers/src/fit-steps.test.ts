// fit as one loop: its batches are @nnkit/data's, it can be stepped (fitSteps), fed a batch
// iterable, stopped by a signal, given an augmentation, and it reports the training accuracy
// without dropout. References are hand-written loops over data's batches and trainStep.
import { batches, moons, streamBatches } from '@nnkit/data';
import { sgd } from '@nnkit/optimizers';
import { init, type Rng, type Tensor, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { batchNorm } from './batch-norm';
import { dense } from './dense';
import { dropout } from './dropout';
import { sequential } from './sequential';
beforeAll(async () => {
  await init();
});

const weightsOf = (model: { getWeights(): Tensor[] }) => model.getWeights().map((w) => Array.from(w.toArray()));

function classifier(seed = 1) {
  const model = sequential([dense(8, { activation: 'relu', init: 'he' }), dense(2)], { inputShape: [2], seed });
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: 0.1 }), metrics: ['accuracy'] });
  return model;
}

describe('fit batches with @nnkit/data', () => {
  test('fit(x, y, { seed }) trains on the batches of batches(x, y, { seed }), step for step', async () => {
    const { x, labels } = moons({ n: 50, noise: 0.1, seed: 1 });
    const fitted = classifier();
    await fitted.fit(x, labels, { epochs: 3, batchSize: 16, seed: 9 });
    const byHand = classifier();
    using data = batches(x, labels, { batchSize: 16, seed: 9 });
    for (let epoch = 0; epoch < 3; epoch++) for (const b of data) byHand.trainStep(b.x, b.y, { trainingExamples: 50 });
    expect(weightsOf(fitted)).toEqual(weightsOf(byHand));
  });

  test('fit(batchIterable): data batches, and a function returning a fresh stream per epoch', async () => {
    const { x, labels } = moons({ n: 40, noise: 0.1, seed: 2 });
    const reference = classifier();
    using data = batches(x, labels, { batchSize: 10, seed: 4 });
    for (let epoch = 0; epoch < 2; epoch++) for (const b of data) reference.trainStep(b.x, b.y, { trainingExamples: 40 });
    const fromBatches = classifier();
    using again = batches(x, labels, { batchSize: 10, seed: 4 });
    await fromBatches.fit(again, { epochs: 2, trainingExamples: 40 });
    expect(weightsOf(fromBatches)).toEqual(weightsOf(reference));

    const streamed = classifier();
    const stream = () => streamBatches([{ x, y: labels }], { batchSize: 10 });
    const history = await streamed.fit(stream, { epochs: 2, trainingExamples: 40 });
    expect(history.epochs).toHaveLength(2);
    const inOrder = classifier();
    for (let epoch = 0; epoch < 2; epoch++) for (let s = 0; s < 40; s += 10) inOrder.trainStep(x.rows(s, s + 10), labels.subarray(s, s + 10), { trainingExamples: 40 });
    expect(weightsOf(streamed)).toEqual(weightsOf(inOrder));
  });

  test('a one-shot stream over two epochs is refused, options that belong to tensors too', async () => {
    const { x, labels } = moons({ n: 20, noise: 0.1, seed: 3 });
    const model = classifier();
    await expect(model.fit(streamBatches([{ x, y: labels }], { batchSize: 10 }), { epochs: 2 })).rejects.toThrow(/yielded no batches in epoch 2/);
    await expect(model.fit([{ x, y: labels }], { batchSize: 4 })).rejects.toThrow(/batchSize applies when fit batches x and y itself/);
  });

  test('dropRemainder leaves out a last batch of one, which batch norm would refuse', async () => {
    const { x, labels } = moons({ n: 9, noise: 0.1, seed: 1 });
    const model = sequential([dense(3), batchNorm(), dense(2)], { inputShape: [2], seed: 1 });
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: 0.1 }) });
    const sizes: number[] = [];
    for await (const step of model.fitSteps(x, labels, { batchSize: 4, dropRemainder: true })) sizes.push(step.size);
    expect(sizes).toEqual([4, 4]);
  });
});

describe('fitSteps', () => {
  test('one step per batch; the last of each epoch carries the epoch logs; the return value is the history', async () => {
    const { x, labels } = moons({ n: 30, noise: 0.1, seed: 1 });
    const model = classifier();
    const steps = model.fitSteps(x, labels, { epochs: 2, batchSize: 8 });
    const seen: { epoch: number; batch: number; size: number; logs: boolean }[] = [];
    let next = await steps.next();
    while (!next.done) {
      const s = next.value;
      seen.push({ epoch: s.epoch, batch: s.batch, size: s.size, logs: s.logs !== undefined });
      expect(Object.keys(s.gradientNorms)).toEqual(['dense_1', 'dense_2']);
      next = await steps.next();
    }
    const sizes = [8, 8, 8, 6];
    expect(seen).toEqual([0, 1].flatMap((epoch) => sizes.map((size, batch) => ({ epoch, batch, size, logs: batch === 3 }))));
    expect(next.value.epochs).toHaveLength(2);
  });

  test('epochs: Infinity runs until the loop leaves; leaving frees the run', async () => {
    const { x, labels } = moons({ n: 30, noise: 0.1, seed: 1 });
    const model = classifier();
    let count = 0;
    for await (const _ of model.fitSteps(x, labels, { epochs: Number.POSITIVE_INFINITY, batchSize: 10 })) if (++count === 25) break;
    expect(count).toBe(25);
    expect(model.optimizer!.iterations).toBe(25);
  });
});

describe('fit options', () => {
  test('an unknown option is refused with the list of valid ones', async () => {
    const { x, labels } = moons({ n: 10, noise: 0.1, seed: 1 });
    await expect(classifier().fit(x, labels, { epoch: 3 } as never)).rejects.toThrow(/fit\(\): unknown option "epoch"; expected one of epochs, initialEpoch, batchSize/);
  });

  test('signal: an abort stops cleanly after the current batch', async () => {
    const { x, labels } = moons({ n: 40, noise: 0.1, seed: 1 });
    const model = classifier();
    const controller = new AbortController();
    let batchesDone = 0;
    const history = await model.fit(x, labels, {
      epochs: 5, batchSize: 10, signal: controller.signal,
      callbacks: [{ onBatchEnd: () => { if (++batchesDone === 6) controller.abort(); } }],
    });
    expect(batchesDone).toBe(6);
    expect(model.optimizer!.iterations).toBe(6);
    expect(history.stopped).toBe(true);
    expect(history.epochs).toHaveLength(2); // the second one partial, as with stopTraining
  });

  test('augment: changes training batches only, told their rows, from its own stream; the batch order stays', async () => {
    const { x, labels } = moons({ n: 24, noise: 0.1, seed: 1 });
    const orders: number[][] = [];
    const draws: number[] = [];
    const flip = {
      apply(xb: Tensor, rng: Rng, batch?: { indices?: Int32Array }) {
        orders.push(Array.from(batch!.indices!));
        draws.push(rng.uniform());
        xb.assign(Array.from(xb.toArray(), (v) => -v));
      },
    };
    const model = classifier();
    await model.fit(x, labels, { epochs: 2, batchSize: 8, seed: 5, augment: flip, validationData: [x, labels] });
    using data = batches(x, labels, { batchSize: 8, seed: 5 });
    const plain = [...data, ...data].map((b) => Array.from(b.indices));
    expect(orders).toEqual(plain);
    expect(new Set(draws).size).toBe(6);
    // By hand: the same batches negated, through trainStep.
    const byHand = classifier();
    const values = x.toArray();
    for (const indices of plain) {
      const xb = tensor(indices.flatMap((i) => [-values[2 * i], -values[2 * i + 1]]), [indices.length, 2]);
      byHand.trainStep(xb, Int32Array.from(indices, (i) => labels[i]), { trainingExamples: 24 });
      xb.dispose();
    }
    expect(weightsOf(model)).toEqual(weightsOf(byHand));
  });

  test('lossWithoutDropout also records accuracyWithoutDropout: the training set evaluated in inference mode', async () => {
    const { x, labels } = moons({ n: 60, noise: 0.2, seed: 1 });
    const model = sequential([dense(16, { activation: 'relu', init: 'he' }), dropout(0.5), dense(2)], { inputShape: [2], seed: 3 });
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: sgd({ learningRate: 0.1 }), metrics: ['accuracy'] });
    const history = await model.fit(x, labels, { epochs: 3, batchSize: 16, lossWithoutDropout: true });
    const last = history.epochs[2];
    const clean = model.evaluate(x, labels);
    expect(last.accuracyWithoutDropout).toBe(clean.accuracy);
    expect(last.lossWithoutDropout).toBe(clean.loss);
  });
});

test("Sequential's internals are not on the model: stepUnchecked, evaluateUnchecked, setTraining, layerGradSquares", () => {
  const model = classifier();
  for (const name of ['stepUnchecked', 'evaluateUnchecked', 'setTraining', 'layerGradSquares', 'lastOutputs']) expect(name in model).toBe(false);
});
