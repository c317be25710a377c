import { batches } from '@nnkit/data';
import { memory } from '@nnkit/tensor-wasm';
import { describe, expect, it } from 'vitest';
import { createRun } from './run-config';

describe('createRun', () => {
  it('gives the same weights for the same seed and different ones for another seed', async () => {
    const a = await createRun({ dataset: 'moons', seed: 3 });
    const b = await createRun({ dataset: 'moons', seed: 3 });
    const c = await createRun({ dataset: 'moons', seed: 4 });
    for (const run of [a, b, c]) await run.train(40);
    expect(a.weightBits()).toEqual(b.weightBits());
    expect(a.weightBits()).not.toEqual(c.weightBits());
    for (const run of [a, b, c]) await run.dispose();
  });

  it("steps the same weights as a hand-written loop over data's batches with trainStep (the loop it replaced)", async () => {
    const config = { dataset: 'moons' as const, batchNorm: true, dropout: 0.2, schedule: 'inverseTime' as const, decayRate: 0.5, seed: 8 };
    const run = await createRun(config);
    await run.train(70);
    const byHand = await createRun(config);
    const m = byHand.data.train.x.shape[0];
    const batchSize = Math.min(byHand.config.batchSize, m);
    using data = batches(byHand.data.train.x, byHand.data.train.y, { batchSize, seed: config.seed, dropRemainder: m % batchSize === 1 });
    let steps = 0;
    for (let epoch = 0; steps < 70; epoch++) {
      byHand.optimizer.setEpoch(epoch);
      for (const b of data) {
        if (steps++ === 70) break;
        byHand.model.trainStep(b.x, b.y, { trainingExamples: m });
      }
    }
    expect(run.weightBits()).toEqual(byHand.weightBits());
    await run.dispose();
    await byHand.dispose();
  });

  it('learns circles with He initialization and Adam', async () => {
    const run = await createRun({ dataset: 'circles', init: 'he', optimizer: 'adam', seed: 1 });
    const before = run.evaluate();
    await run.train(600);
    const after = run.evaluate();
    expect(before.devAccuracy).toBeLessThan(0.8);
    expect(after.devAccuracy).toBeGreaterThan(0.9);
    expect(after.trainLoss).toBeLessThan(before.trainLoss);
    await run.dispose();
  });

  it('keeps every hidden unit identical with zeros initialization (symmetry is never broken)', async () => {
    const run = await createRun({ dataset: 'moons', init: 'zeros', optimizer: 'gd', learningRate: 0.5, seed: 2 });
    await run.train(50);
    const [kernel] = run.model.getWeights();
    const [inputs, units] = kernel.shape;
    const w = kernel.toArray();
    for (let i = 0; i < inputs; i++) for (let j = 1; j < units; j++) expect(w[i * units + j]).toBe(w[i * units]);
    await run.dispose();
  });

  it('starts a new epoch with a per-epoch learning rate after a pass over the training set', async () => {
    const run = await createRun({ dataset: 'moons', examples: 100, trainFraction: 0.5, batchSize: 10, schedule: 'inverseTime', decayRate: 1, learningRate: 0.2 });
    const records = await run.train(11);
    expect(records.slice(0, 5).map((r) => r.learningRate)).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
    expect(records[5]).toMatchObject({ epoch: 1, learningRate: 0.1 });
    expect(records[10]).toMatchObject({ epoch: 2, iteration: 11 });
    await run.dispose();
  });

  it('reports per-layer gradient norms and a passing gradient check with L2', async () => {
    const run = await createRun({ dataset: 'spiral', l2: 0.5, activation: 'tanh', seed: 5 });
    await run.train(5);
    const norms = run.gradientNorms();
    expect(norms.map((n) => n.layer)).toEqual(['dense_1', 'dense_2', 'dense_3']);
    expect(norms.every((n) => n.norm > 0 && Number.isFinite(n.norm))).toBe(true);
    const check = run.gradCheck();
    expect(check.relativeDifference).toBeLessThan(1e-5);
    await run.dispose();
  });

  it('predicts repeatedly on the grid and the dev digits without leaking or losing buffers', async () => {
    const run = await createRun({ dataset: 'blobs', seed: 6 });
    await run.train(20);
    const grid = new Float32Array([0, 0, 1, 1, -5, 5]);
    const first = run.probabilities(grid);
    const live = memory().tensors;
    for (let i = 0; i < 3; i++) {
      expect(run.probabilities(grid)).toEqual(first);
      expect(run.devPredictions(40)).toHaveLength(40);
    }
    expect(memory().tensors).toBe(live);
    expect(first).toHaveLength(3 * 4);
    for (let row = 0; row < 3; row++) expect(first[4 * row] + first[4 * row + 1] + first[4 * row + 2] + first[4 * row + 3]).toBeCloseTo(1, 5);
    await run.dispose();
  });

  it('rejects settings outside the page ranges', async () => {
    await expect(createRun({ learningRate: -1 })).rejects.toThrow(/learningRate = -1/);
  });
});
