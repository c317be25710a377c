// A real crash in an Optuna journal: a child process is killed with SIGKILL while a trial is in
// flight, and (as if it had died in the middle of a write) the journal ends in a torn line. Optuna
// still reads it; nnkit resumes it, cuts the torn line off, and runs the lost trial's params again.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logUniform, oneMinusLogUniform } from './distributions';
import { optunaJournal } from './optuna-journal';
import { randomSearch } from './random-search';
import { bundleForChildren } from './test-support/child-bundle';
import { linkExists } from './test-support/link-exists';

const HANG_AT = 3;
const TORN = '{"op_code": 6, "worker_id": "gone-1", "trial_id": 3, "sta';
const PYTHON = '/usr/bin/python3';
const hasOptuna = spawnSync(PYTHON, ['-c', 'import optuna'], { stdio: 'ignore' }).status === 0;
const READER = fileURLToPath(new URL('../scripts/read-optuna-journal.py', import.meta.url));
let dir: string;
let entry: string;
let removeBundle = () => {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nnkit-optuna-sigkill-'));
  ({ entry, remove: removeBundle } = await bundleForChildren());
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeBundle();
});

function readWithOptuna(path: string): { trials: { state: string; params: Record<string, number>; values: number[] | null }[] } {
  const r = spawnSync(PYTHON, ['-W', 'ignore', READER, path, 'killed'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`Optuna could not read ${path}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('an Optuna journal after SIGKILL', () => {
  it('is resumed: the torn line is cut off, the lost trial runs again, Optuna reads the result', async () => {
    const journal = join(dir, 'study.log');
    const child = spawn(process.execPath, [fileURLToPath(new URL('../test/fixtures/study-child.mjs', import.meta.url))], {
      env: { ...process.env, TUNING_ENTRY: entry, JOURNAL: journal, HANG_AT: String(HANG_AT), OPTUNA: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 20000;
    while (!(existsSync(journal) && readFileSync(journal, 'utf8').includes('"nnkit:checkpoint"'))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`child did not reach trial ${HANG_AT}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // Died in the middle of a write: a torn line, and (unless it did hold it) its lock link.
    appendFileSync(journal, TORN);
    if (!linkExists(`${journal}.lock`)) symlinkSync(`nnkit:${hostname()}:${child.pid}`, `${journal}.lock`);
    // Optuna reads a journal whose last line is torn (file.py read_logs skips only that one).
    if (hasOptuna) expect(readWithOptuna(journal).trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'RUNNING']);

    const space = { lr: logUniform(1e-4, 1), beta: oneMinusLogUniform(0.9, 0.999) };
    const value = (p: { lr: number; beta: number }) => (Math.log10(p.lr) + 2) ** 2 + (p.beta - 0.95) ** 2;
    const warnings: string[] = [];
    const restored: unknown[] = [];
    const resumed = await randomSearch(space, (p, trial) => {
      restored.push(trial.restore());
      return value(p);
    }, { trials: 8, storage: optunaJournal(journal, { study: 'killed' }), progress: false, onWarning: (m) => warnings.push(m) });
    expect(readFileSync(journal, 'utf8')).not.toContain(TORN);
    expect(warnings).toContain(`Optuna journal '${journal}': removed the lock '${journal}.lock' of process ${child.pid}, which died while writing the journal`);
    expect(warnings.some((w) => w.startsWith(`Optuna journal '${journal}': removed a torn last line`))).toBe(true);
    expect(restored[0]).toEqual({ epoch: 1 });

    // The complete trials are those of a study never interrupted, the lost one included.
    const clean = await randomSearch(space, value, { trials: 8, seed: 5, progress: false });
    const sorted = (rows: [unknown, number][]) => rows.map((r) => JSON.stringify(r)).sort();
    const complete = resumed.trials.filter((t) => t.state === 'complete');
    expect(sorted(complete.map((t) => [t.params, t.value]))).toEqual(sorted(clean.trials.map((t) => [t.params, t.value])));
    if (hasOptuna) {
      const py = readWithOptuna(journal).trials.filter((t) => t.state === 'COMPLETE');
      expect(sorted(py.map((t) => [t.params, (t.values as number[])[0]]))).toEqual(sorted(clean.trials.map((t) => [t.params, t.value])));
    }
  });
});
