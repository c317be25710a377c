// One writer per journal: a second study on a journal in use is refused, never run next to the
// first; the lock of a process that died is taken over.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { uniform } from './distributions';
import { LOCK_STALE_MS, LOCK_UPDATE_MS } from './journal-lock';
import { loadStudy } from './load-study';
import { randomSearch } from './random-search';
import { bundleForChildren } from './test-support/child-bundle';

let entry: string;
let removeBundle = () => {};
beforeAll(async () => {
  ({ entry, remove: removeBundle } = await bundleForChildren());
});
afterAll(() => removeBundle());
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'nnkit-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Ended {
  code: number | null;
  result: { ok: boolean; ids?: number[]; name?: string; code?: string; message?: string };
}
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
function run(journal: string, go: string): { child: ChildProcess; ended: Promise<Ended> } {
  const child = spawn(process.execPath, [fileURLToPath(new URL('../test/fixtures/lock-child.mjs', import.meta.url))], {
    env: { ...process.env, TUNING_ENTRY: entry, JOURNAL: journal, GO: go },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (err += d));
  const ended = new Promise<Ended>((resolve, reject) =>
    child.on('exit', (code) => {
      try {
        resolve({ code, result: JSON.parse(out) });
      } catch {
        reject(new Error(`child printed no result (exit ${code}): ${out} ${err}`));
      }
    }),
  );
  return { child, ended };
}

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

describe('two processes on one journal', () => {
  it('the second fails at once with STORAGE_LOCKED while the first is blocked in a trial; the first completes; no trial runs twice', async () => {
    const dir = tmp();
    const journal = join(dir, 'study.jsonl');
    const go = join(dir, 'go');
    const first = run(journal, go);
    // Wait until the first is inside trial 1, blocking its event loop (its lock refresh cannot run).
    const deadline = Date.now() + 30000;
    while (!(existsSync(journal) && lines(journal).some((e) => e.type === 'start' && e.id === 1))) {
      if (Date.now() > deadline || first.child.exitCode !== null) throw new Error('the first study did not reach trial 1');
      await new Promise((r) => setTimeout(r, 20));
    }
    // Were the second not refused, it would run every trial; it never blocks.
    const open = join(dir, 'open');
    writeFileSync(open, '');
    const second = await run(journal, open).ended;
    expect(first.child.exitCode).toBe(null); // still blocked in trial 1: the second did not wait for it
    expect(second.code).toBe(1);
    expect(second.result).toEqual({
      ok: false,
      name: 'NnkitError',
      code: 'STORAGE_LOCKED',
      message: `journal '${journal}' is locked: another process (pid ${first.child.pid} on ${hostname()}) is writing it; wait for it to end, or use another journal (if no such process runs, delete '${journal}.lock')`,
    });
    writeFileSync(go, '');
    expect(await first.ended).toEqual({ code: 0, result: { ok: true, ids: [0, 1, 2, 3] } });
    const events = lines(journal);
    for (const type of ['start', 'finish']) {
      expect(events.filter((e) => e.type === type).map((e) => e.id)).toEqual([0, 1, 2, 3]);
    }
    expect(events.filter((e) => e.type === 'study')).toHaveLength(1);
    expect(existsSync(`${journal}.lock`)).toBe(false);
  }, 60000);
});

describe('the lock file', () => {
  /** Leaves a lock on `journal` as process `pid` would, its mtime `ageMs` in the past. */
  function plantLock(journal: string, pid: number | undefined, ageMs: number) {
    const lockDir = `${journal}.lock`;
    mkdirSync(lockDir);
    if (pid !== undefined) writeFileSync(`${lockDir}.json`, JSON.stringify({ pid, hostname: hostname(), ino: statSync(lockDir).ino }));
    const t = (Date.now() - ageMs) / 1000;
    utimesSync(lockDir, t, t);
  }
  const f = (p: { x: number }) => p.x;
  const space = { x: uniform(0, 1) };

  it('is never taken from a process that runs, however long it has not refreshed it', async () => {
    const journal = join(tmp(), 'study.jsonl');
    plantLock(journal, process.ppid, 2 * LOCK_STALE_MS);
    await expect(randomSearch(space, f, { trials: 2, storage: journal, progress: false })).rejects.toMatchObject({
      code: 'STORAGE_LOCKED',
      message: expect.stringContaining(`(pid ${process.ppid} on ${hostname()})`),
    });
    expect(existsSync(journal)).toBe(false);
  });

  it('is taken from a process that no longer runs, with a warning', async () => {
    const journal = join(tmp(), 'study.jsonl');
    const gone = spawnSync(process.execPath, ['-e', '0']).pid as number;
    plantLock(journal, gone, 0);
    const warnings: string[] = [];
    const study = await randomSearch(space, f, { trials: 2, storage: journal, progress: false, onWarning: (m) => warnings.push(m) });
    expect(study.trials).toHaveLength(2);
    expect(warnings).toEqual([`journal '${journal}': removed the lock of process ${gone}, which no longer runs`]);
    expect(existsSync(`${journal}.lock`)).toBe(false);
    expect(existsSync(`${journal}.lock.json`)).toBe(false);
  });

  it('without an owner to check, is held while fresh and stale after LOCK_STALE_MS without a refresh', async () => {
    const journal = join(tmp(), 'study.jsonl');
    plantLock(journal, undefined, 0);
    await expect(randomSearch(space, f, { trials: 2, storage: journal, progress: false })).rejects.toMatchObject({
      code: 'STORAGE_LOCKED',
      message: `journal '${journal}' is locked: another process is writing it; wait for it to end, or use another journal (if no such process runs, delete '${journal}.lock')`,
    });
    rmSync(`${journal}.lock`, { recursive: true });
    plantLock(journal, undefined, LOCK_STALE_MS + 60000);
    expect((await randomSearch(space, f, { trials: 2, storage: journal, progress: false })).trials).toHaveLength(2);
  });

  it('a second study in the same process is refused too, and reading a locked journal needs no lock', async () => {
    const journal = join(tmp(), 'study.jsonl');
    let inner: unknown;
    let read: number | undefined;
    await randomSearch(space, async (p, trial) => {
      if (trial.id === 1) {
        inner = await randomSearch(space, f, { trials: 1, storage: journal, progress: false }).catch((e) => e);
        read = (await loadStudy(journal)).trials.length;
      }
      return f(p);
    }, { trials: 2, storage: journal, progress: false });
    expect(inner).toMatchObject({ code: 'STORAGE_LOCKED', message: expect.stringContaining(`(pid ${process.pid}, this one on ${hostname()})`) });
    expect(read).toBe(2);
    expect(existsSync(`${journal}.lock`)).toBe(false);
  });

  it('once lost (removed by someone else), stops the study with STORAGE_LOCKED instead of crashing the process', async () => {
    const journal = join(tmp(), 'study.jsonl');
    // The lock's refresh timer runs on fake time, so it can be made to run inside a trial.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const ran: number[] = [];
      const outcome = randomSearch(space, (p, trial) => {
        ran.push(trial.id);
        if (trial.id === 1) {
          rmSync(`${journal}.lock`, { recursive: true });
          vi.advanceTimersByTime(LOCK_UPDATE_MS + 1); // the refresh finds the lock gone
        }
        return f(p);
      }, { trials: 4, storage: journal, progress: false });
      await expect(outcome).rejects.toMatchObject({
        code: 'STORAGE_LOCKED',
        message: expect.stringMatching(new RegExp(`^journal '${journal}': this study lost its lock \\(.*ENOENT.*\\); another process may be writing the journal, so the study stops rather than run trials twice$`)),
      });
      expect(ran).toEqual([0, 1]);
      expect(lines(journal).filter((e) => e.type === 'finish').map((e) => e.id)).toEqual([0]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is released when the study fails', async () => {
    const journal = join(tmp(), 'study.jsonl');
    await randomSearch(space, f, { trials: 1, storage: journal, progress: false });
    await expect(randomSearch(space, f, { trials: 2, storage: journal, direction: 'maximize', progress: false })).rejects.toMatchObject({ code: 'STORAGE_MISMATCH' });
    expect(existsSync(`${journal}.lock`)).toBe(false);
    expect((await randomSearch(space, f, { trials: 2, storage: journal, progress: false })).trials).toHaveLength(2);
  });
});
