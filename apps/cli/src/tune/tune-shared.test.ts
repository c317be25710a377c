// `nnkit tune --storage … [--study …] [--status]`: a study shared between processes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { findRedisServer, startRedis } from '../../../../packages/tuning/src/test-support/redis-server';
import { captureIo } from '../io';
import { runTune, sharedStorage, type TuneOptions } from './run-tune';

const base = (report: string): TuneOptions => ({ dataset: 'moons', examples: 400, trials: 3, concurrency: 1, epochs: 2, batchSize: 32, seed: 1, resume: false, report });

test('two runs on one shared journal run 3 trials between them; --status prints the table and the best trial', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-tune-shared-'));
  const storage = join(dir, 'shared.jsonl');
  const [a, b] = [captureIo(), captureIo()];
  await Promise.all([runTune({ ...base(join(dir, 'a')), storage }, a), runTune({ ...base(join(dir, 'b')), storage }, b)]);
  const ran = [...a.stdout, ...b.stdout].filter((l) => l.startsWith('trial ')).map((l) => Number(l.split(/[ /]+/)[1]));
  expect(ran.sort()).toEqual([1, 2, 3]);

  const status = captureIo();
  const finished = await runTune({ ...base(join(dir, 'c')), storage, status: true }, status);
  expect(finished).toHaveLength(3);
  expect(status.stdout[0]).toBe(`study '${storage}': 3 trials — 3 complete, 0 running, 0 pruned, 0 failed`);
  const best = finished[0];
  expect(status.stdout.at(-1)).toMatch(new RegExp(`^\\n?best: trial ${best.id + 1}, dev accuracy `));
}, 120_000);

// A redis-server of the test's own, when one is installed (the tuning package's test helper).
const redisBin = findRedisServer();

test.runIf(redisBin !== undefined)('two runs join one Redis study with --storage redis://… --study NAME; --status reads it', async () => {
  const redis = await startRedis(redisBin as string);
  try {
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-tune-redis-'));
    const shared = { storage: redis.url, study: 'moons-lr' };
    const [a, b] = [captureIo(), captureIo()];
    await Promise.all([runTune({ ...base(join(dir, 'a')), ...shared }, a), runTune({ ...base(join(dir, 'b')), ...shared }, b)]);
    const ran = [...a.stdout, ...b.stdout].filter((l) => l.startsWith('trial ')).map((l) => Number(l.split(/[ /]+/)[1]));
    expect(ran.sort()).toEqual([1, 2, 3]);
    const status = captureIo();
    expect(await runTune({ ...base(join(dir, 'c')), ...shared, status: true }, status)).toHaveLength(3);
    expect(status.stdout[0]).toBe(`study 'moons-lr' at ${redis.url}: 3 trials — 3 complete, 0 running, 0 pruned, 0 failed`);
  } finally {
    await redis.dispose();
  }
}, 120_000);

test('--storage and --study must come as a pair for Redis, and not with --resume', () => {
  const o = base('unused');
  expect(() => sharedStorage({ ...o, storage: 'redis://127.0.0.1:6379/0' })).toThrow("--storage 'redis://127.0.0.1:6379/0' needs --study NAME, the study every process joins");
  expect(() => sharedStorage({ ...o, study: 'lr' })).toThrow("--study 'lr' needs --storage redis://host:6379/0; expected both, or neither");
  expect(() => sharedStorage({ ...o, storage: 's.jsonl', study: 'lr' })).toThrow(/a journal holds one study/);
  expect(() => sharedStorage({ ...o, storage: 's.jsonl', resume: true })).toThrow(/--resume with --storage/);
  expect(() => sharedStorage({ ...o, storage: 'redis://127.0.0.1:6379/0', study: '' })).toThrow(/study '' \(0 characters\); expected a name of 1 to 200 characters/);
});
