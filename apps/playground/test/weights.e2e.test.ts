// Same seed, same numbers: N training steps in the page's worker (Chromium) and in Node, from the
// same shared module (src/training/run-config.ts), must give the same float32 weights bit for bit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunConfig } from '../src/training/config';
import { createRun } from '../src/training/run-config';
import { type OpenPage, openPlayground } from './browser';

const STEPS = 150;
const CASES: [string, Partial<RunConfig>][] = [
  ['circles, He, Adam', { dataset: 'circles', init: 'he', optimizer: 'adam', seed: 11 }],
  ['moons, momentum, L2, dropout, batch norm, 1/(1+rate·epoch)', {
    dataset: 'moons', noise: 0.2, optimizer: 'momentum', l2: 0.1, dropout: 0.2, batchNorm: true, schedule: 'inverseTime', decayRate: 0.5, seed: 12,
  }],
  ['spiral, tanh, Xavier, RMSprop, softmax', { dataset: 'spiral', activation: 'tanh', init: 'xavier', optimizer: 'rmsprop', learningRate: 0.003, units: 16, seed: 13 }],
];

async function nodeWeights(config: Partial<RunConfig>, steps: number): Promise<number[][]> {
  const run = await createRun(config);
  try {
    await run.train(steps);
    return run.weightBits();
  } finally {
    await run.dispose();
  }
}

describe('weights after N steps with a fixed seed', () => {
  let open: OpenPage;

  beforeAll(async () => {
    open = await openPlayground();
    await open.page.waitForFunction(() => typeof window.nnkitPlayground?.probe === 'function');
  });

  afterAll(async () => {
    await open?.close();
  });

  it.each(CASES)('are bit-identical in Chromium and Node: %s', async (_name, config) => {
    const browser = await open.page.evaluate(([c, n]) => window.nnkitPlayground.probe(c, n), [config, STEPS] as const);
    const node = await nodeWeights(config, STEPS);
    expect(browser.map((w) => w.length)).toEqual(node.map((w) => w.length));
    // Training moved the weights (so equality is not two untouched initializations).
    const initial = await nodeWeights(config, 0);
    expect(node).not.toEqual(initial);
    browser.forEach((w, i) => {
      const differing = w.findIndex((bits, j) => bits !== node[i][j]);
      expect(differing, `weight ${i} differs first at index ${differing}`).toBe(-1);
    });
    expect(open.errors).toEqual([]);
  });

  it('differ in Chromium when only the seed differs (the probe builds the config it is given)', async () => {
    const [, config] = CASES[0];
    const run = (seed: number) => open.page.evaluate(([c, n]) => window.nnkitPlayground.probe(c, n), [{ ...config, seed }, STEPS] as const);
    const [a, b] = [await run(21), await run(22)];
    expect(a).not.toEqual(b);
  });
});
