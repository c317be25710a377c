// Shared studies with real processes and a real Redis: three processes run one study of 36 trials
// while one of them is killed with SIGKILL in the middle of a trial, and the others block their
// main thread for several grace periods; then Redis is stopped for 5 s under running workers. The
// reference for "what the study must hold" is a plain one-process random search with the same seed.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STALE_ERROR } from './claim';
import { intUniform, logUniform } from './distributions';
import { journalFile } from './journal-file';
import { loadStudy } from './load-study';
import { randomSearch } from './random-search';
import { redisStorage } from './redis-storage';
import type { Study } from './study';
import { bundleForChildren } from './test-support/child-bundle';
import { findRedisServer, startRedis, type TestRedis } from './test-support/redis-server';

const SPACE = { lr: logUniform(1e-4, 1), units: intUniform(1, 64) };
const CHILD = fileURLToPath(new URL('../test/fixtures/shared-child.mjs', import.meta.url));
const redisBin = findRedisServer();

let dir: string;
let entry: string;
let removeBundle = () => {};
let redis: TestRedis | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nnkit-shared-'));
  ({ entry, remove: removeBundle } = await bundleForChildren());
  if (redisBin) redis = await startRedis(redisBin);
}, 30_000);
afterAll(async () => {
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
  removeBundle();
});

interface Call {
  pid: number;
  id: number;
  params: Record<string, number>;
  restored: unknown;
}

function readCalls(path: string): { calls: Call[]; hung: number | undefined } {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {}
  const calls: Call[] = [];
  let hung: number | undefined;
  for (const line of text.split('\n').filter(Boolean)) {
    const [a, b, params, restored] = line.split(' ');
    if (a === 'hang') hung = Number(b);
    else calls.push({ pid: Number(a), id: Number(b), params: JSON.parse(params), restored: JSON.parse(restored) });
  }
  return { calls, hung };
}

function startWorker(env: Record<string, string>): { child: ChildProcess; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [CHILD], { env: { ...process.env, TUNING_ENTRY: entry, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, stderr: () => stderr };
}

async function until(what: string, done: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The params of a one-process study of `trials` trials with the workers' seed, as JSON, sorted. */
async function referenceParams(trials: number): Promise<string[]> {
  const study = await randomSearch(SPACE, () => 0, { trials, seed: 7, progress: false });
  return study.trials.map((t) => JSON.stringify(t.params)).sort();
}

function checkStudy(study: Study, calls: Call[], trials: number) {
  const complete = study.trials.filter((t) => t.state === 'complete');
  // Every trial ran in exactly one process, once.
  expect(new Set(calls.map((c) => c.id)).size).toBe(calls.length);
  expect(complete).toHaveLength(trials);
  return complete.map((t) => JSON.stringify(t.params)).sort();
}

const kinds = [
  { kind: 'file', run: true },
  { kind: 'redis', run: redisBin !== undefined },
] as const;

describe.each(kinds)('three processes on one study ($kind)', ({ kind, run }) => {
  it.runIf(run)('run 36 trials, none twice; the trial of a process killed with SIGKILL fails and is retried', async () => {
    const calls = join(dir, `${kind}-calls.log`);
    const target = kind === 'file' ? join(dir, 'shared.jsonl') : (redis as TestRedis).url;
    const env = { KIND: kind, TARGET: target, STUDY: 'kill-test', TRIALS: '36', CALLS: calls, HEARTBEAT_MS: '200', GRACE_MS: '1500', TRIAL_MS: '60', BLOCK_MS: '4500' };
    const victim = startWorker({ ...env, HANG: '1' });
    const others = [startWorker(env), startWorker(env)];
    await until('the victim to hang in a trial', () => readCalls(calls).hung !== undefined);
    // Kill it once its trial's checkpoint is stored, so that the retry has one to restore.
    const reader = kind === 'file' ? journalFile(target) : redisStorage({ url: target, study: 'kill-test' });
    const hungId = readCalls(calls).hung;
    for (let n = 0; !(await reader.load(() => {})).some((e) => e.type === 'checkpoint' && e.id === hungId); n++) {
      if (n > 3000) throw new Error('the checkpoint of the hung trial was never stored');
      await new Promise((r) => setTimeout(r, 20));
    }
    await reader.close?.();
    victim.child.kill('SIGKILL');
    await victim.exit;
    const codes = await Promise.all(others.map((o) => o.exit));
    expect(codes, others.map((o) => o.stderr()).join('\n')).toEqual([0, 0]);

    const { calls: log, hung } = readCalls(calls);
    const study = await loadStudy(kind === 'file' ? target : redisStorage({ url: target, study: 'kill-test' }));
    const params = checkStudy(study, log, 36);
    expect(params).toEqual(await referenceParams(36));
    // The killed trial stays failed; a new trial ran its params, from its checkpoint, and completed.
    const failed = study.trials.filter((t) => t.state === 'failed');
    expect(failed.map((t) => t.id)).toEqual([hung]);
    expect(failed[0].error?.startsWith(STALE_ERROR)).toBe(true);
    const retry = study.trials.find((t) => t.retryOf === hung);
    expect(retry?.state).toBe('complete');
    expect(retry?.params).toEqual(failed[0].params);
    expect(log.find((c) => c.id === retry?.id)?.restored).toEqual({ epoch: 0, pid: victim.child.pid });
    // The two blocked main threads (4.5 s, three grace periods) kept their trials alive.
    expect(study.trials).toHaveLength(37);
  }, 120_000);
});

describe.runIf(redisBin !== undefined)('redisStorage with Redis stopped for 5 s', () => {
  it('the workers wait, reconnect and finish: nothing lost, nothing run twice', async () => {
    const server = redis as TestRedis;
    const calls = join(dir, 'restart-calls.log');
    const env = { KIND: 'redis', TARGET: server.url, STUDY: 'restart-test', TRIALS: '30', CALLS: calls, HEARTBEAT_MS: '200', GRACE_MS: '15000', TRIAL_MS: '150', BLOCK_MS: '0' };
    const workers = [startWorker(env), startWorker(env), startWorker(env)];
    await until('a few trials', () => readCalls(calls).calls.length >= 6);
    await server.stop();
    await new Promise((r) => setTimeout(r, 5000));
    await server.start();
    const codes = await Promise.all(workers.map((w) => w.exit));
    expect(codes, workers.map((w) => w.stderr()).join('\n')).toEqual([0, 0, 0]);
    const { calls: log } = readCalls(calls);
    const study = await loadStudy(redisStorage({ url: server.url, study: 'restart-test' }));
    expect(checkStudy(study, log, 30)).toEqual(await referenceParams(30));
    expect(study.trials).toHaveLength(30);
  }, 120_000);
});

describe.runIf(redisBin !== undefined)('redisStorage in one process', () => {
  it('three studies of one process on one Redis study run each trial once', async () => {
    const url = (redis as TestRedis).url;
    const ran: number[] = [];
    const objective = async (p: { lr: number; units: number }, trial: { id: number }) => {
      ran.push(trial.id);
      await new Promise((r) => setTimeout(r, 5));
      return p.units;
    };
    // One clock reading for all: the three studies' claims of a trial are then the same but for
    // their owner, and a study must not take another's claim, which landed first, for its own.
    const clock = vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    try {
      await Promise.all([0, 1, 2].map(() => randomSearch(SPACE, objective, { trials: 30, seed: 7, progress: false, storage: redisStorage({ url, study: 'one-process' }) })));
    } finally {
      clock.mockRestore();
    }
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('refuses to join a study of another space, direction or seed with STORAGE_MISMATCH', async () => {
    const url = (redis as TestRedis).url;
    await randomSearch(SPACE, (p) => p.units, { trials: 2, seed: 7, progress: false, storage: redisStorage({ url, study: 'mismatch' }) });
    const join = (space: object, options: object) =>
      randomSearch(space as typeof SPACE, () => 1, { trials: 2, progress: false, storage: redisStorage({ url, study: 'mismatch' }), ...options });
    await expect(join({ lr: logUniform(1e-3, 1), units: intUniform(1, 64) }, {})).rejects.toMatchObject({ code: 'STORAGE_MISMATCH' });
    await expect(join(SPACE, { direction: 'maximize' })).rejects.toMatchObject({ code: 'STORAGE_MISMATCH' });
    await expect(join(SPACE, { seed: 8 })).rejects.toMatchObject({ code: 'STORAGE_MISMATCH' });
  });

  it('fails with STORAGE_UNAVAILABLE naming the host when Redis stays away longer than reconnectMs mid-study', async () => {
    const own = await startRedis(redisBin as string);
    try {
      let stopped: Promise<void> | undefined;
      const storage = redisStorage({ url: own.url, study: 'gone', reconnectMs: 1000 });
      const run = randomSearch(SPACE, async (_p, trial) => {
        // The server goes away during the third trial and does not come back.
        if (trial.id === 2) stopped ??= own.stop();
        await new Promise((r) => setTimeout(r, 20));
        return 1;
      }, { trials: 10, seed: 1, progress: false, storage });
      const err = await run.catch((e) => e);
      expect(err).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      expect(err.message).toContain(`redis at 127.0.0.1:${own.port} (study 'gone'): unreachable for 1000 ms`);
      await stopped;
    } finally {
      await own.dispose();
    }
  });

  it('fails with STORAGE_UNAVAILABLE when the list of the study lost entries this process had read', async () => {
    const url = (redis as TestRedis).url;
    await randomSearch(SPACE, (p) => p.units, { trials: 2, seed: 7, progress: false, storage: redisStorage({ url, study: 'lost' }) });
    const storage = redisStorage({ url, study: 'lost' });
    await storage.load(() => {});
    const other = redisStorage({ url, study: 'lost' });
    // Another client empties the list: the events this storage read are gone.
    await other.exclusive?.(() => ({ append: [], result: 0 }), () => {});
    const { default: Redis } = await import('ioredis');
    const raw = new Redis(url);
    await raw.del('nnkit:study:lost:events');
    raw.disconnect();
    await other.close?.();
    const err = await storage.exclusive?.(() => ({ append: [], result: 0 }), () => {}).catch((e) => e);
    await storage.close?.();
    expect(err).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(err.message).toMatch(/has fewer than the 5 entries this process already read/);
  });

  it('fails with STORAGE_UNAVAILABLE naming the host when Redis cannot be reached', async () => {
    const storage = redisStorage({ url: 'redis://127.0.0.1:1/0', study: 'nowhere', reconnectMs: 800 });
    const err = await randomSearch(SPACE, () => 1, { trials: 2, progress: false, storage }).catch((e) => e);
    expect(err).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(err.message).toContain("redis at 127.0.0.1:1 (study 'nowhere'): unreachable for 800 ms");
  });
});

describe('bad input of shared storages', () => {
  it('names the bad study name, url and timing options', () => {
    const url = 'redis://127.0.0.1:6379/0';
    expect(() => redisStorage({ url, study: '' })).toThrow("redisStorage(): study '' (0 characters); expected a name of 1 to 200 characters");
    expect(() => redisStorage({ url, study: 'x'.repeat(201) })).toThrow(/study 'x{40}…' \(201 characters\); expected a name of 1 to 200 characters/);
    expect(() => redisStorage({ url: 'http://h:1', study: 's' })).toThrow("redisStorage(): url 'http://h:1' (a string); expected 'redis://host:6379/0'");
    expect(() => redisStorage({ url, study: 's', heartbeatMs: 5000, graceMs: 5000 })).toThrow(/graceMs = 5000 is not more than heartbeatMs = 5000/);
    expect(() => journalFile('s.jsonl', { graceMs: 1000 })).toThrow(/journalFile\(\): graceMs = 1000 is not more than heartbeatMs = 5000/);
    expect(() => redisStorage({ url, study: 's', reconnectMs: -1 })).toThrow('redisStorage(): reconnectMs = -1; expected a positive number of milliseconds');
    expect(() => redisStorage({ url, study: 's', heartbeat: 1 } as never)).toThrow(/unknown option "heartbeat" \(did you mean "heartbeatMs"\?\)/);
  });

  it('redisStorage without ioredis installed fails with MISSING_DEPENDENCY and the npm line', async () => {
    // The bundle copied where no node_modules holds ioredis.
    const alone = mkdtempSync(join(tmpdir(), 'nnkit-no-ioredis-'));
    copyFileSync(entry, join(alone, 'tuning.mjs'));
    const script = `const t = await import(${JSON.stringify(pathToFileURL(join(alone, 'tuning.mjs')).href)});
      try { await t.loadStudy(t.redisStorage({ url: 'redis://127.0.0.1:1/0', study: 'x' })); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    rmSync(alone, { recursive: true, force: true });
    const err = JSON.parse(out.stdout);
    expect(err.code).toBe('MISSING_DEPENDENCY');
    expect(err.message).toMatch(/^redisStorage\(\) needs the package 'ioredis', which is not installed \(.*\); install it with: npm install ioredis$/);
  });

  it('refuses maxRetries with a storage that is not shared', async () => {
    await expect(randomSearch(SPACE, () => 1, { trials: 1, maxRetries: 2, progress: false })).rejects.toThrow(/maxRetries = 2 needs a storage shared by many processes/);
  });
});
