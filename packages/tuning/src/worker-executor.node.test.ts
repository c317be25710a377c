import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { choice, uniform } from './distributions';
import { gridSearch } from './grid-search';
import { medianPruner } from './pruner';
import { randomSearch } from './random-search';
import { memoryStorage } from './storage';

const fixture = (name: string) => fileURLToPath(new URL(`../test/fixtures/${name}`, import.meta.url));
const quiet = { progress: false, onWarning: () => {} } as const;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'nnkit-tuning-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('trials in workers', () => {
  it("tells @nnkit/tensor-wasm to default to one thread: a study's concurrency already uses the cores", async () => {
    const study = await randomSearch({ x: uniform(0, 1) }, fixture('default-threads.mjs'), { trials: 1, seed: 1, ...quiet });
    expect(study.trials[0].state).toBe('complete');
    expect(study.trials[0].value).toBe(1);
  });

  it('runs two trials at once in two different worker threads with concurrency 2', async () => {
    const dir = tmp();
    const study = await randomSearch({ dir, waitMs: 10000, x: uniform(0, 1) }, fixture('rendezvous.mjs'), { trials: 4, concurrency: 2, seed: 1, ...quiet });
    expect(study.trials.map((t) => t.state)).toEqual(['complete', 'complete', 'complete', 'complete']);
    // Trials 0 and 1 only complete if they overlapped; their values are their thread ids.
    const threads = study.trials.slice(0, 2).map((t) => t.value);
    expect(new Set(threads).size).toBe(2);
    expect(threads).not.toContain(0); // 0 is the main thread
  });

  it('the same pairing fails with concurrency 1 (the check can fail)', async () => {
    const dir = tmp();
    const study = await randomSearch({ dir, waitMs: 150, x: uniform(0, 1) }, fixture('rendezvous.mjs'), { trials: 2, concurrency: 1, seed: 1, ...quiet });
    expect(study.trials[0].state).toBe('failed');
    expect(study.trials[0].error).toBe('Error: trial 0 waited 150 ms alone');
    expect(study.trials[1].state).toBe('complete');
  });

  it('records throwing, exiting, crashing and NaN trials as failed and goes on', async () => {
    const modes = ['ok', 'throw', 'exit', 'nan', 'uncaught', 'string', 'fine'];
    const study = await gridSearch({ mode: choice(modes) }, fixture('misbehaving.mjs'), { concurrency: 2, ...quiet });
    const byMode = Object.fromEntries(study.trials.map((t) => [t.params.mode, t]));
    expect(byMode.ok).toMatchObject({ state: 'complete', value: 2 });
    expect(byMode.fine).toMatchObject({ state: 'complete', value: 4 });
    expect(byMode.throw).toMatchObject({ state: 'failed', error: 'Error: boom' });
    expect(byMode.exit).toMatchObject({ state: 'failed', error: 'worker exited with code 3' });
    expect(byMode.nan).toMatchObject({ state: 'failed', error: 'objective returned NaN; expected a number' });
    expect(byMode.uncaught).toMatchObject({ state: 'failed', error: 'worker crashed: Error: late boom' });
    expect(byMode.string).toMatchObject({ state: 'failed', error: 'objective returned string fast; expected a number' });
    expect(study.trials).toHaveLength(modes.length);
  });

  it('stops a trial that exceeds trialTimeoutMs and goes on with a fresh worker', async () => {
    const study = await gridSearch({ mode: choice(['hang', 'ok']) }, fixture('misbehaving.mjs'), { trialTimeoutMs: 500, ...quiet });
    expect(study.trials.map((t) => [t.params.mode, t.state, t.error])).toEqual([
      ['hang', 'failed', 'trial exceeded trialTimeoutMs = 500'],
      ['ok', 'complete', undefined],
    ]);
    await expect(gridSearch({ mode: choice(['ok']) }, fixture('misbehaving.mjs'), { trialTimeoutMs: 0, ...quiet })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('prunes, reports and checkpoints from a worker like in-process', async () => {
    const storage = memoryStorage();
    // Same hand-made sequence as the in-process test: the trial reporting 5 falls behind the median 2.
    const study = await gridSearch({ c: choice([3, 1, 2, 5, 0.5]) }, fixture('reporter.mjs'), {
      pruner: medianPruner({ startupTrials: 2 }),
      storage,
      ...quiet,
    });
    expect(study.trials.map((t) => t.state)).toEqual(['complete', 'complete', 'complete', 'pruned', 'complete']);
    expect(study.trials[0].intermediate).toEqual([{ step: 0, value: 3 }, { step: 1, value: 3 }, { step: 2, value: 3 }]);
    expect(study.trials[3].intermediate).toEqual([{ step: 0, value: 5 }]);
    const checkpoints = storage.events.filter((e) => e.type === 'checkpoint' && e.id === 0).map((e) => (e as { data: unknown }).data);
    expect(checkpoints).toEqual([{ step: 0, restored: null }, { step: 1, restored: { step: 0, restored: null } }, expect.objectContaining({ step: 2 })]);
  });

  it('fails the study with OBJECTIVE_LOAD_FAILED when the module cannot be used', async () => {
    await expect(randomSearch({ x: uniform(0, 1) }, fixture('missing.mjs'), { trials: 1, ...quiet })).rejects.toMatchObject({
      code: 'OBJECTIVE_LOAD_FAILED',
    });
    await expect(randomSearch({ x: uniform(0, 1) }, fixture('no-function.mjs'), { trials: 1, ...quiet })).rejects.toThrowError(
      /no-function\.mjs exports neither a default function nor a function named objective/,
    );
  });
});
