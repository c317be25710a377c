// The course's experiments on its 2-D data sets: initialization (zeros vs He on circles) and
// optimization (plain mini-batch gradient descent vs Adam on moons, mini-batches of 64).
import { circles, moons } from '@nnkit/data';
import { adam, sgd } from '@nnkit/optimizers';
import { init } from '@nnkit/tensor-wasm';
import { describe, expect, test } from 'vitest';
import { dense } from './dense';
import type { Initializer } from './initializers';
import { sequential } from './sequential';

// The data sets are made while the suites are collected, so the kernel must be ready first.
await init();

describe('initialization on circles (the course: 2 → 10 ReLU → 5 ReLU → 1 sigmoid)', () => {
  const train = circles({ n: 300, noise: 0.05, factor: 0.5, seed: 1 });
  const test_ = circles({ n: 100, noise: 0.05, factor: 0.5, seed: 2 });
  const run = async (initializer: Initializer) => {
    const model = sequential(
      [dense(10, { activation: 'relu', init: initializer }), dense(5, { activation: 'relu', init: initializer }), dense(1, { init: initializer })],
      { inputShape: [2], seed: 1 },
    );
    model.compile({ loss: 'sigmoidCrossEntropy', optimizer: sgd({ learningRate: 0.05 }), metrics: ['accuracy'] });
    const history = await model.fit(train.x, train.y, { epochs: 1500, batchSize: 300 });
    return { train: history.epochs.at(-1)!.accuracy!, test: model.evaluate(test_.x, test_.y).accuracy, history };
  };

  test('zeros: symmetry is never broken, accuracy stays at 50 %', async () => {
    const r = await run('zeros');
    expect(r.train).toBe(0.5);
    expect(r.test).toBe(0.5);
    // Every hidden unit computes the same thing: the hidden layers' gradients are exactly 0.
    expect(r.history.gradientNorms.at(-1)!.dense_1).toBe(0);
  });

  test('He: ≥ 95 % on train and test', async () => {
    const r = await run('he');
    expect(r.train).toBeGreaterThanOrEqual(0.95);
    expect(r.test).toBeGreaterThanOrEqual(0.95);
  });
});

describe('optimization on moons, mini-batches of 64 (the course: 2 → 5 ReLU → 2 ReLU → 1 sigmoid, He init)', () => {
  const EPOCHS = 2000;
  const LEARNING_RATE = 0.0007; // the course's α for all its optimizers
  const train = moons({ n: 300, noise: 0.2, seed: 3 });
  const run = async (optimizer: ReturnType<typeof sgd> | ReturnType<typeof adam>) => {
    const model = sequential(
      [dense(5, { activation: 'relu', init: 'he' }), dense(2, { activation: 'relu', init: 'he' }), dense(1, { init: 'he' })],
      { inputShape: [2], seed: 1 },
    );
    model.compile({ loss: 'sigmoidCrossEntropy', optimizer, metrics: ['accuracy'] });
    await model.fit(train.x, train.y, { epochs: EPOCHS, batchSize: 64, seed: 1 });
    return model.evaluate(train.x, train.y).accuracy;
  };

  // On @nnkit/data's moons (scikit-learn's make_moons) Adam reached 0.887 here; over data seeds 1–5
  // it reached 0.887–0.970 and gradient descent 0.650–0.687. The course saw 94 % against 80 %.
  const ADAM_AT_LEAST = 0.88;

  test('Adam reaches ≥ 88 % where plain mini-batch gradient descent stays well below', async () => {
    const gd = await run(sgd({ learningRate: LEARNING_RATE }));
    const withAdam = await run(adam({ learningRate: LEARNING_RATE }));
    expect(withAdam).toBeGreaterThanOrEqual(ADAM_AT_LEAST);
    expect(gd).toBeLessThan(0.8);
  });
});
