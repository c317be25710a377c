import { describe, expect, it } from 'vitest';
import { choice, intUniform, logUniform, oneMinusLogUniform, uniform } from './distributions';
import { NnkitError } from './errors';
import { randomSearch } from './random-search';
import { createSearchRng } from './rng';
import { sampleSpace } from './space';
import { memoryStorage } from './storage';

const space = { lr: logUniform(1e-4, 1), beta: oneMinusLogUniform(0.9, 0.999), layers: intUniform(1, 4), act: choice(['relu', 'tanh']) };
const quiet = { progress: false, onWarning: () => {} } as const;

describe('randomSearch', () => {
  it('samples trial i from stream (seed, i), so the same seed gives the same study', async () => {
    const f = (p: Record<string, unknown>) => (Math.log10(p.lr as number) + 2) ** 2;
    const a = await randomSearch(space, f, { trials: 8, seed: 7, ...quiet });
    const b = await randomSearch(space, f, { trials: 8, seed: 7, ...quiet });
    const c = await randomSearch(space, f, { trials: 8, seed: 8, ...quiet });
    expect(a.trials.map((t) => t.params)).toEqual(b.trials.map((t) => t.params));
    expect(a.trials.map((t) => t.params)).not.toEqual(c.trials.map((t) => t.params));
    for (const t of a.trials) expect(t.params).toEqual(sampleSpace(space, createSearchRng(7, t.id)));
  });

  it('picks the best trial in the requested direction', async () => {
    const f = (p: Record<string, unknown>) => p.lr as number;
    const min = await randomSearch(space, f, { trials: 12, seed: 1, ...quiet });
    const max = await randomSearch(space, f, { trials: 12, seed: 1, direction: 'maximize', ...quiet });
    const lrs = min.trials.map((t) => t.params.lr as number);
    expect(min.best.value).toBe(Math.min(...lrs));
    expect(max.best.value).toBe(Math.max(...lrs));
  });

  it('records throwing, NaN and non-number objectives as failed and goes on', async () => {
    const f = (_p: unknown, trial: { id: number }) => {
      if (trial.id === 1) throw new Error('diverged');
      if (trial.id === 2) return Number.NaN;
      if (trial.id === 3) return 'high' as unknown as number;
      return trial.id;
    };
    const study = await randomSearch(space, f, { trials: 6, seed: 1, ...quiet });
    expect(study.trials.map((t) => t.state)).toEqual(['complete', 'failed', 'failed', 'failed', 'complete', 'complete']);
    expect(study.trials[1].error).toBe('Error: diverged');
    expect(study.trials[2].error).toBe('objective returned NaN; expected a number');
    expect(study.trials[3].error).toBe('objective returned string high; expected a number');
    expect(study.best.id).toBe(0);
  });

  it('throws NO_COMPLETED_TRIALS for best when every trial failed', async () => {
    const study = await randomSearch(space, () => Number.NaN, { trials: 2, seed: 1, ...quiet });
    expect(() => study.best).toThrowError(/none of the 2 trials completed \(2 failed/);
  });

  it('refuses trials ≤ 0, a bad direction, concurrency and seed', async () => {
    for (const trials of [0, -3, 2.5]) {
      await expect(randomSearch(space, () => 0, { trials })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: `randomSearch(): trials = ${trials}; expected an integer ≥ 1` });
    }
    await expect(randomSearch(space, () => 0, { trials: 1, direction: 'up' as 'minimize' })).rejects.toThrow(NnkitError);
    await expect(randomSearch(space, () => 0, { trials: 1, concurrency: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(randomSearch(space, () => 0, { trials: 1, seed: 0.5 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(randomSearch({}, () => 0, { trials: 1 })).rejects.toMatchObject({ code: 'EMPTY_SPACE' });
  });

  it('runs up to `concurrency` in-process trials at once', async () => {
    let active = 0;
    let peak = 0;
    const f = async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return 1;
    };
    const study = await randomSearch({ x: uniform(0, 1) }, f, { trials: 9, concurrency: 3, seed: 1, ...quiet });
    expect(peak).toBe(3);
    expect(study.trials.map((t) => t.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('calls onTrialEnd once per trial with the live study', async () => {
    const seen: [number, number][] = [];
    const study = await randomSearch({ x: uniform(0, 1) }, (p) => p.x, {
      trials: 4,
      seed: 2,
      ...quiet,
      onTrialEnd: (trial, live) => seen.push([trial.id, live.trials.filter((t) => t.state !== 'running').length]),
    });
    expect(seen).toEqual([[0, 1], [1, 2], [2, 3], [3, 4]]);
    expect(study.trials).toHaveLength(4);
  });

  it('appends every event to the storage and passes the seed on', async () => {
    const storage = memoryStorage();
    const study = await randomSearch({ x: uniform(0, 1) }, (p, trial) => {
      trial.report(0, p.x as number);
      return p.x as number;
    }, { trials: 3, seed: 5, storage, ...quiet });
    expect(storage.events.map((e) => e.type)).toEqual(['study', 'start', 'report', 'finish', 'start', 'report', 'finish', 'start', 'report', 'finish']);
    expect(study.seed).toBe(5);
    expect(study.trials[2].intermediate).toEqual([{ step: 0, value: study.trials[2].value }]);
  });
});
