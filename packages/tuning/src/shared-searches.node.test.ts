// The structured searches on a shared journal: two studies of one process share the work of one
// hyperband and one grid search; the reference is the same search run alone in memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { choice, logUniform, uniform } from './distributions';
import { gridSearch } from './grid-search';
import { hyperband } from './halving';
import { journalFile } from './journal-file';
import { randomSearch } from './random-search';
import type { Study } from './study';

const dir = mkdtempSync(join(tmpdir(), 'nnkit-shared-searches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sorted = (study: Study) => study.trials.map((t) => JSON.stringify([t.params, t.value, t.state, t.rung ?? null])).sort();

describe('structured searches shared by two studies', () => {
  it('hyperband: the rungs wait for each other across studies, and the trials are those of one study alone', async () => {
    const space = { lr: logUniform(1e-3, 1) };
    const objective = async (p: { lr: number; epochs: number }) => {
      await new Promise((r) => setTimeout(r, 2));
      return (Math.log10(p.lr) + 1.5) ** 2 / p.epochs;
    };
    const options = { resource: 'epochs' as const, min: 1, max: 9, eta: 3, seed: 4, progress: false };
    const alone = await hyperband(space, objective, options);
    const path = join(dir, 'hyperband.jsonl');
    const [a] = await Promise.all([0, 1].map(() => hyperband(space, objective, { ...options, storage: journalFile(path) })));
    expect(sorted(a)).toEqual(sorted(alone));
  });

  it('trials of an objective module run in worker pools of two studies, each trial once', async () => {
    const space = { x: uniform(0.1, 3), n: choice([1000]) };
    const module = new URL('../test/fixtures/cpu.mjs', import.meta.url);
    const alone = await randomSearch(space, module, { trials: 12, seed: 2, concurrency: 2, progress: false });
    const path = join(dir, 'module.jsonl');
    const both = await Promise.all([0, 1].map(() => randomSearch(space, module, { trials: 12, seed: 2, concurrency: 2, progress: false, storage: journalFile(path) })));
    expect(sorted(both[0])).toEqual(sorted(alone));
    expect(sorted(both[1])).toEqual(sorted(alone));
  });

  it('grid search: each point once', async () => {
    const space = { units: choice([8, 16, 32]), act: choice(['relu', 'tanh']) };
    const objective = (p: { units: number; act: string }) => p.units + (p.act === 'relu' ? 0 : 100);
    const alone = await gridSearch(space, objective, { progress: false });
    const path = join(dir, 'grid.jsonl');
    const [a] = await Promise.all([0, 1].map(() => gridSearch(space, objective, { progress: false, storage: journalFile(path) })));
    expect(sorted(a)).toEqual(sorted(alone));
  });
});
