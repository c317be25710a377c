// Caviar in the browser: the same searches, trials in Web Workers started from a blob: URL.
import { describe, expect, it } from 'vitest';
import { choice, loadStudy, memoryStorage, randomSearch, uniform } from './index';

const fixture = (name: string) => new URL(`../test/fixtures/${name}`, import.meta.url).href;

describe('Web Worker trials', () => {
  it('runs two trials at once in two workers with concurrency 2', async () => {
    const space = { channel: `rv-${Math.random()}`, waitMs: 10000, x: uniform(0, 1) };
    const study = await randomSearch(space, fixture('rendezvous-broadcast.mjs'), { trials: 2, concurrency: 2, seed: 1, progress: false });
    expect(study.trials.map((t) => t.state)).toEqual(['complete', 'complete']);
    expect(new Set(study.trials.map((t) => t.value)).size).toBe(2);
    expect(study.trials.map((t) => t.value)).not.toContain(-1);
  });

  it('computes the same values in a worker as the objective does here, and keeps them in memory storage', async () => {
    const { default: cpu } = await import(/* @vite-ignore */ fixture('cpu.mjs'));
    const storage = memoryStorage();
    const study = await randomSearch({ x: uniform(0.1, 3), n: choice([1000, 3000]) }, fixture('cpu.mjs'), { trials: 4, concurrency: 2, seed: 2, storage, progress: false });
    for (const t of study.trials) expect(t.value).toBe(cpu(t.params));
    expect((await loadStudy(storage)).trials).toEqual(study.trials);
  });

  it('refuses a journal file path in the browser', async () => {
    await expect(randomSearch({ x: uniform(0, 1) }, () => 1, { trials: 1, storage: 'study.jsonl' })).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  });
});
