// The TPE sampler with what Node adds: objective modules run in worker threads, and journal files
// that a later run resumes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { intUniform, uniform } from './distributions';
import { search } from './search';

const fixture = (name: string) => fileURLToPath(new URL(`../test/fixtures/${name}`, import.meta.url));
const quiet = { progress: false, onWarning: () => {} } as const;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'nnkit-tuning-tpe-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// cpu.mjs returns Σ_{i ≤ n} sin(i·x)/i: a function of x and n computed in the worker.
const space = { x: uniform(0.1, 3), n: intUniform(50, 400) };
const cpu = (p: { x: number; n: number }) => {
  let s = 0;
  for (let i = 1; i <= p.n; i++) s += Math.sin(i * p.x) / i;
  return s;
};

describe('search with TPE, in Node', () => {
  it('runs module objectives in workers, several at once with the constant liar, all trials complete', async () => {
    const study = await search(space, fixture('cpu.mjs'), { sampler: 'tpe', trials: 16, seed: 2, concurrency: 2, constantLiar: true, ...quiet });
    expect(study.trials.map((t) => t.state)).toEqual(new Array(16).fill('complete'));
    for (const t of study.trials) expect(t.value).toBeCloseTo(cpu(t.params), 12);
  });

  it('resumes from its journal file: the stored trials are not run again and the model is rebuilt from them', async () => {
    const path = join(tmp(), 'study.jsonl');
    const uninterrupted = await search(space, cpu, { sampler: 'tpe', trials: 18, seed: 5, ...quiet });
    await search(space, cpu, { sampler: 'tpe', trials: 12, seed: 5, storage: path, ...quiet });
    const calls: number[] = [];
    const resumed = await search(
      space,
      (p, trial) => {
        calls.push(trial.id);
        return cpu(p);
      },
      { sampler: 'tpe', trials: 18, storage: path, ...quiet },
    );
    expect(calls).toEqual([12, 13, 14, 15, 16, 17]);
    expect(resumed.trials.map((t) => t.params)).toEqual(uninterrupted.trials.map((t) => t.params));
  });

  it('refuses to resume a random-search journal with TPE, naming both', async () => {
    const path = join(tmp(), 'study.jsonl');
    await search(space, cpu, { sampler: 'random', trials: 3, seed: 1, storage: path, ...quiet });
    await expect(search(space, cpu, { sampler: 'tpe', trials: 5, storage: path, ...quiet })).rejects.toMatchObject({
      code: 'STORAGE_MISMATCH',
      message: 'search(): the storage holds a randomSearch study; resume it with randomSearch() or use a new journal',
    });
    const tpePath = join(tmp(), 'tpe.jsonl');
    await search(space, cpu, { sampler: 'tpe', trials: 3, seed: 1, storage: tpePath, ...quiet });
    await expect(search(space, cpu, { sampler: 'random', trials: 5, storage: tpePath, ...quiet })).rejects.toThrow(
      "search(): the storage holds a tpe study; resume it with search({ sampler: 'tpe' }) or use a new journal",
    );
  });
});
