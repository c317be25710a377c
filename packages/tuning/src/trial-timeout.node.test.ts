// trialTimeoutMs holds for objective functions too, and a study never ends in silence: a trial
// whose promise can never settle fails instead of letting Node exit mid-study.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniform } from './distributions';
import { randomSearch } from './random-search';
import { memoryStorage } from './storage';
import { bundleForChildren } from './test-support/child-bundle';

let entry: string;
let removeBundle = () => {};
beforeAll(async () => {
  ({ entry, remove: removeBundle } = await bundleForChildren());
});
afterAll(() => removeBundle());

const space = { x: uniform(0, 1) };
const quiet = { trials: 3, seed: 1, progress: false, onWarning: () => {} } as const;

describe('trialTimeoutMs with an objective function', () => {
  it('fails a trial whose promise never settles and goes on', async () => {
    const study = await randomSearch(space, (p, t) => (t.id === 0 ? new Promise<number>(() => {}) : p.x), { ...quiet, trialTimeoutMs: 100 });
    expect(study.trials.map((t) => [t.id, t.state, t.error])).toEqual([
      [0, 'failed', 'trial exceeded trialTimeoutMs = 100'],
      [1, 'complete', undefined],
      [2, 'complete', undefined],
    ]);
  });

  it('fails a trial that keeps a timer running and never settles', async () => {
    let interval: ReturnType<typeof setInterval> | undefined;
    const study = await randomSearch(space, (p, t) => {
      if (t.id !== 1) return p.x;
      interval = setInterval(() => {}, 10);
      return new Promise<number>(() => {});
    }, { ...quiet, trialTimeoutMs: 100 });
    clearInterval(interval);
    expect(study.trials.map((t) => t.state)).toEqual(['complete', 'failed', 'complete']);
  });

  it('fails a trial that blocks the thread past the limit, since it cannot be cut short', async () => {
    const study = await randomSearch(space, (p, t) => {
      const t0 = performance.now();
      if (t.id === 2) while (performance.now() - t0 < 150) {}
      return p.x;
    }, { ...quiet, trialTimeoutMs: 50 });
    expect(study.trials.map((t) => [t.state, t.error])).toEqual([
      ['complete', undefined],
      ['complete', undefined],
      ['failed', 'trial exceeded trialTimeoutMs = 50'],
    ]);
  });

  it('ignores what a timed-out trial reports, checkpoints or returns afterwards', async () => {
    const storage = memoryStorage();
    let late!: () => void;
    const lateDone = new Promise<void>((r) => (late = r));
    const study = await randomSearch(space, (p, t) => {
      if (t.id !== 0) return p.x;
      return new Promise<number>((resolve) =>
        setTimeout(() => {
          t.report(5, 0.5);
          t.checkpoint({ epoch: 5 });
          resolve(0.25);
          late();
        }, 300),
      );
    }, { ...quiet, trialTimeoutMs: 50, storage });
    await lateDone;
    expect(study.trials[0]).toMatchObject({ state: 'failed', intermediate: [] });
    expect(storage.events.filter((e) => 'id' in e && e.id === 0).map((e) => e.type)).toEqual(['start', 'finish']);
  });
});

function child(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const c = spawn(process.execPath, [fileURLToPath(new URL('../test/fixtures/timeout-child.mjs', import.meta.url))], {
    env: { ...process.env, TUNING_ENTRY: entry, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  c.stdout.on('data', (d) => (out += d));
  return new Promise((resolve) => c.on('exit', (code) => resolve({ code, out })));
}

describe('a study in a process of its own', () => {
  it('with trialTimeoutMs, a never-settling trial fails after the limit and the study ends normally', async () => {
    for (const MODE of ['never', 'timer']) {
      const { code, out } = await child({ MODE, TIMEOUT: '300' });
      expect({ code, out: JSON.parse(out) }).toEqual({
        code: 0,
        out: { trials: [[0, 'failed', 'trial exceeded trialTimeoutMs = 300'], [1, 'complete', null], [2, 'complete', null]], warnings: [] },
      });
    }
  }, 60000);

  it('without trialTimeoutMs, a promise nothing can settle fails its trial instead of Node exiting mid-study with code 13', async () => {
    const { code, out } = await child({ MODE: 'never' });
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.trials).toEqual([
      [0, 'failed', 'objective never settled: its promise was still pending when Node had nothing left to run (a promise never resolved?)'],
      [1, 'complete', null],
      [2, 'complete', null],
    ]);
    expect(result.warnings).toEqual(["randomSearch(): an objective's promise can never settle (nothing is left for Node to run); its trial fails"]);
  }, 60000);
});
