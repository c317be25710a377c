import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logUniform, uniform } from './distributions';
import { gridSearch } from './grid-search';
import { journalStorage } from './journal-storage';
import { loadStudy } from './load-study';
import { randomSearch } from './random-search';
import { createSearchRng } from './rng';
import { sampleSpace } from './space';
import { memoryStorage } from './storage';

const dirs: string[] = [];
const journalPath = () => {
  const d = mkdtempSync(join(tmpdir(), 'nnkit-journal-'));
  dirs.push(d);
  return join(d, 'study.jsonl');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const space = { lr: logUniform(1e-4, 1), x: uniform(-1, 1) };
const f = (p: Record<string, unknown>, trial: { id: number; report(s: number, v: number): void }) => {
  trial.report(0, p.x as number);
  if (trial.id === 2) return Number.NaN;
  return (p.x as number) ** 2;
};

describe('journal file', () => {
  it('writes one JSON event per line and reads the same trials back', async () => {
    const path = journalPath();
    const study = await randomSearch(space, f, { trials: 4, seed: 3, storage: path, progress: false });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(['study', ...Array(4).fill(['start', 'report', 'finish']).flat()]);
    expect(JSON.parse(lines[lines.length - 1])).toMatchObject({ type: 'finish', id: 3, state: 'complete' });
    expect(JSON.parse(lines[9])).toMatchObject({ type: 'finish', id: 2, state: 'failed', value: 'NaN' });
    const back = await loadStudy(path);
    expect(back.trials).toEqual(study.trials);
    expect(back.seed).toBe(3);
    expect(back.best.id).toBe(study.best.id);
  });

  it('skips a corrupted and a truncated line with warnings, keeps everything else, and resumes', async () => {
    const path = journalPath();
    await randomSearch(space, f, { trials: 4, seed: 3, storage: path, progress: false });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    lines[5] = '{"type":"report","id":1,"st'; // trial 1's report, damaged in the middle of the file
    const last = lines.pop()!; // trial 3's finish, torn by a crash mid-write
    writeFileSync(path, `${lines.join('\n')}\n${last.slice(0, 20)}`);
    const warnings: string[] = [];
    const damaged = await loadStudy(path, (m) => warnings.push(m));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/line 6: unreadable record skipped/);
    expect(warnings[1]).toMatch(/line 13: unreadable record skipped/);
    expect(damaged.trials.map((t) => t.state)).toEqual(['complete', 'complete', 'failed', 'running']);
    expect(damaged.trials[1].intermediate).toEqual([]);

    const calls: number[] = [];
    const resumed = await randomSearch(space, (p, trial) => {
      calls.push(trial.id);
      return f(p, trial);
    }, { trials: 5, seed: 3, storage: path, progress: false, onWarning: () => {} });
    expect(calls).toEqual([3, 4]);
    expect(resumed.trials.map((t) => t.state)).toEqual(['complete', 'complete', 'failed', 'complete', 'complete']);
    expect(resumed.trials[3].attempt).toBe(2);
    expect(resumed.trials[0]).toEqual(damaged.trials[0]);
    // The torn line was closed off: every later line parses.
    const after = readFileSync(path, 'utf8').split('\n');
    expect(after.slice(13).filter((l) => l !== '').every((l) => JSON.parse(l))).toBeTruthy();
  });

  it('refuses a journal written for a different space, direction or search', async () => {
    const path = journalPath();
    await randomSearch(space, f, { trials: 1, seed: 3, storage: path, progress: false });
    const other = { lr: logUniform(1e-5, 1), x: uniform(-1, 1) };
    await expect(randomSearch(other, f, { trials: 2, storage: path, progress: false })).rejects.toMatchObject({
      code: 'STORAGE_MISMATCH',
      message: expect.stringMatching(/holds a study of space [0-9a-f]{8} \(lr, x\) but this space is [0-9a-f]{8} \(lr, x\)/),
    });
    await expect(randomSearch(space, f, { trials: 2, storage: path, direction: 'maximize', progress: false })).rejects.toMatchObject({
      code: 'STORAGE_MISMATCH',
    });
    await expect(gridSearch(space, f, { storage: path, progress: false })).rejects.toThrowError(
      'gridSearch(): the storage holds a randomSearch study; resume it with randomSearch() or use a new journal',
    );
    expect(() => journalStorage('')).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('resuming a babysat trial from its checkpoint', () => {
  it('re-runs an unfinished trial with the same params and hands it its last checkpoint', async () => {
    const storage = memoryStorage();
    await randomSearch(space, f, { trials: 1, seed: 9, storage, progress: false });
    // What a crash during trial 1 leaves behind: its start and a checkpoint, no finish.
    const params1 = sampleSpace(space, createSearchRng(9, 1));
    storage.events.push({ type: 'start', id: 1, params: params1, meta: {}, attempt: 1, time: 0 });
    storage.events.push({ type: 'report', id: 1, step: 0, value: 0.5 });
    storage.events.push({ type: 'checkpoint', id: 1, data: { epoch: 4 } });
    const seen: { id: number; restored: unknown; params: unknown }[] = [];
    const study = await randomSearch(space, (p, trial) => {
      seen.push({ id: trial.id, restored: trial.restore(), params: p });
      return 1;
    }, { trials: 2, storage, progress: false });
    expect(seen).toEqual([{ id: 1, restored: { epoch: 4 }, params: params1 }]);
    expect(study.seed).toBe(9);
    expect(study.trials[1]).toMatchObject({ state: 'complete', attempt: 2, intermediate: [] });
  });
});
