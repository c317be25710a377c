// A real crash: a child process runs a journaled study and is killed with SIGKILL while a trial is
// in flight; the study is then resumed here from the journal.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logUniform, oneMinusLogUniform } from './distributions';
import { loadStudy } from './load-study';
import { randomSearch } from './random-search';
import { bundleForChildren } from './test-support/child-bundle';

const HANG_AT = 3;
let dir: string;
let entry: string;
let removeBundle = () => {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nnkit-sigkill-'));
  ({ entry, remove: removeBundle } = await bundleForChildren());
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeBundle();
});

function journalEvents(path: string): { type: string; id?: number }[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.endsWith('}'))
    .map((l) => JSON.parse(l));
}

describe('resume after SIGKILL', () => {
  it('keeps every finished trial and re-runs the one in flight', async () => {
    const journal = join(dir, 'study.jsonl');
    const child = spawn(process.execPath, [fileURLToPath(new URL('../test/fixtures/study-child.mjs', import.meta.url))], {
      env: { ...process.env, TUNING_ENTRY: entry, JOURNAL: journal, HANG_AT: String(HANG_AT) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Wait until the trial that never finishes has started and checkpointed.
    const deadline = Date.now() + 20000;
    while (!journalEvents(journal).some((e) => e.type === 'checkpoint' && e.id === HANG_AT)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`child did not reach trial ${HANG_AT}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const killed = await loadStudy(journal);
    expect(killed.trials.map((t) => t.state)).toEqual(['complete', 'complete', 'complete', 'running']);

    const space = { lr: logUniform(1e-4, 1), beta: oneMinusLogUniform(0.9, 0.999) };
    const value = (p: Record<string, unknown>) => (Math.log10(p.lr as number) + 2) ** 2 + ((p.beta as number) - 0.95) ** 2;
    const calls: { id: number; restored: unknown }[] = [];
    const warnings: string[] = [];
    const resumed = await randomSearch(space, (p, trial) => {
      calls.push({ id: trial.id, restored: trial.restore() });
      return value(p);
    }, { trials: 8, storage: journal, progress: false, onWarning: (m) => warnings.push(m) });
    // The killed child still held the journal's lock; its process is gone, so the lock is taken over.
    expect(warnings).toEqual([`journal '${journal}': removed the lock of process ${child.pid}, which no longer runs`]);
    expect(existsSync(`${journal}.lock`)).toBe(false);

    expect(calls.map((c) => c.id)).toEqual([3, 4, 5, 6, 7]);
    expect(calls[0].restored).toEqual({ epoch: 1 });
    expect(resumed.seed).toBe(5);
    expect(resumed.trials.slice(0, 3)).toEqual(killed.trials.slice(0, 3));
    expect(resumed.trials[3].params).toEqual(killed.trials[3].params);
    expect(resumed.trials[3].attempt).toBe(2);
    expect(resumed.trials.every((t) => t.state === 'complete')).toBe(true);

    // Nothing differs from a study that was never interrupted.
    const clean = await randomSearch(space, value, { trials: 8, seed: 5, progress: false });
    expect(resumed.trials.map((t) => [t.params, t.value])).toEqual(clean.trials.map((t) => [t.params, t.value]));
  });
});
