// Served by `vite preview` with the app's COOP/COEP headers, the page is cross-origin isolated, so
// nnkit in its training worker runs on several threads — and still ends with Node's weights, bit for
// bit. The run is large enough (512-row batches, 256 units, batch norm, dropout, Adam) that its
// products, activation and batch-norm passes and updates are split over the worker pool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunConfig } from '../src/training/config';
import { createRun } from '../src/training/run-config';
import { type OpenPage, openPlayground } from './browser';

const STEPS = 12;
const CONFIG: Partial<RunConfig> = {
  dataset: 'moons', examples: 1200, hiddenLayers: 2, units: 256, batchSize: 512, batchNorm: true, dropout: 0.2, optimizer: 'adam', seed: 5,
};

describe('the playground behind vite preview', () => {
  let open: OpenPage;

  beforeAll(async () => {
    open = await openPlayground({ preview: true });
    await open.page.waitForFunction(() => typeof window.nnkitPlayground?.probe === 'function');
  });

  afterAll(async () => {
    await open?.close();
  });

  it('is cross-origin isolated, trains on several threads and ends with the weights Node computes', async () => {
    expect(await open.page.evaluate(() => crossOriginIsolated)).toBe(true);
    const browser = await open.page.evaluate(([c, n]) => window.nnkitPlayground.probe(c, n), [CONFIG, STEPS] as const);
    expect(await open.page.evaluate(() => window.nnkitPlayground.threads())).toBeGreaterThan(1);
    const run = await createRun(CONFIG);
    try {
      await run.train(STEPS);
      const node = run.weightBits();
      expect(browser.map((w) => w.length)).toEqual(node.map((w) => w.length));
      browser.forEach((w, i) => {
        const differing = w.findIndex((bits, j) => bits !== node[i][j]);
        expect(differing, `weight ${i} differs first at index ${differing}`).toBe(-1);
      });
    } finally {
      await run.dispose();
    }
    expect(open.errors).toEqual([]);
  });
});
