// journalFile's own rules: a torn last line left by a killed writer, a journal held by a
// single-writer study, and reading the journal back with the plain journal reader.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { intUniform } from './distributions';
import { journalFile } from './journal-file';
import { journalStorage } from './journal-storage';
import { loadStudy } from './load-study';
import { randomSearch } from './random-search';

const dir = mkdtempSync(join(tmpdir(), 'nnkit-journal-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const space = { k: intUniform(0, 1000) };

describe('journalFile', () => {
  it('after a torn last line, appends on a fresh line; the torn line is skipped with one warning', async () => {
    const path = join(dir, 'torn.jsonl');
    await randomSearch(space, (p) => p.k, { trials: 2, seed: 3, progress: false, storage: journalFile(path) });
    appendFileSync(path, '{"type":"start","id":2,"par');
    const warnings: string[] = [];
    const study = await randomSearch(space, (p) => p.k, { trials: 4, seed: 3, progress: false, storage: journalFile(path), onWarning: (m) => warnings.push(m) });
    expect(study.trials.map((t) => [t.id, t.state])).toEqual([[0, 'complete'], [1, 'complete'], [2, 'complete'], [3, 'complete']]);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.filter((l) => l === '{"type":"start","id":2,"par')).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/line 6: unreadable record skipped/);
    // The plain reader agrees.
    expect((await loadStudy(path, () => {})).trials.map((t) => t.value)).toEqual(study.trials.map((t) => t.value));
  });

  it('fails with STORAGE_UNAVAILABLE when the journal is truncated under a study', async () => {
    const path = join(dir, 'truncated.jsonl');
    const storage = journalFile(path);
    await randomSearch(space, (p) => p.k, { trials: 2, seed: 3, progress: false, storage });
    // The study last read the journal before appending its last line (the finish of trial 1).
    const text = readFileSync(path, 'utf8');
    const read = Buffer.byteLength(text) - Buffer.byteLength(`${text.trimEnd().split('\n').at(-1)}\n`);
    writeFileSync(path, '');
    const err = await storage.exclusive?.(() => ({ append: [], result: 0 }), () => {}).catch((e) => e);
    expect(err).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(err.message).toBe(`journal '${path}' is shorter than the ${read} bytes this process already read: it was replaced, truncated or deleted while the study ran`);
  });

  it('fails with STORAGE_LOCKED, naming the process, when a single-writer study holds the journal past lockTimeoutMs', async () => {
    const path = join(dir, 'held.jsonl');
    const holder = journalStorage(path);
    await holder.load(() => {});
    try {
      const err = await randomSearch(space, (p) => p.k, { trials: 1, progress: false, storage: journalFile(path, { lockTimeoutMs: 300 }) }).catch((e) => e);
      expect(err).toMatchObject({ code: 'STORAGE_LOCKED' });
      expect(err.message).toContain(`(pid ${process.pid}, this one on `);
    } finally {
      await holder.close?.();
    }
  });
});
