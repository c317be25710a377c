import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { NnkitError } from './errors';
import { optunaJournal } from './optuna-journal';
import type { StudyEvent } from './storage';
import { linkExists } from './test-support/link-exists';
import { STUDY_HEADER } from './test-support/study-header';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'nnkit-optuna-'));
  dirs.push(d);
  return d;
}

// Lines as Optuna 3.1 writes them (storage.py `_write_log`, file.py `append_logs`).
const STUDY = (name: string) => `{"op_code": 0, "worker_id": "w-1", "study_name": "${name}", "directions": [1]}\n`;
const TRIAL = '{"op_code": 4, "worker_id": "w-1", "study_id": 0, "datetime_start": "2026-12-01T22:30:26.272432"}\n';

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e instanceof NnkitError ? `${e.code}: ${e.message}` : `not an NnkitError: ${e}`;
  }
  return 'no error';
}

const header = STUDY_HEADER;

describe('optunaJournal', () => {
  test('a torn last line is cut off under the lock (never left for the next append to bury)', async () => {
    const path = join(tmp(), 'study.log');
    const whole = STUDY('s') + TRIAL;
    writeFileSync(path, `${whole}{"op_code": 6, "worker_id": "w-1", "trial_id": 0, "sta`);
    const warnings: string[] = [];
    const storage = optunaJournal(path);
    const events = await storage.load((m) => warnings.push(m));
    expect(readFileSync(path, 'utf8')).toBe(whole);
    expect(warnings).toEqual([expect.stringMatching(/removed a torn last line 3 \(54 bytes/)]);
    expect(events.map((e) => e.type)).toEqual(['start']);
  });

  test('read-only: a torn last line is left alone and not read', async () => {
    const path = join(tmp(), 'study.log');
    const text = `${STUDY('s')}{"op_code": 4, "worker_id": "w-1", "stu`;
    writeFileSync(path, text);
    expect((await optunaJournal(path, { readOnly: true }).load(() => {})).filter((e) => e.type !== 'study')).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  test('a whole last record without its newline gets the newline before anything is appended', async () => {
    const path = join(tmp(), 'study.log');
    writeFileSync(path, STUDY('s').trimEnd());
    const storage = optunaJournal(path);
    await storage.load(() => {});
    await storage.append({ ...header, direction: 'minimize' });
    expect(readFileSync(path, 'utf8').split('\n').slice(0, 2)).toEqual([STUDY('s').trimEnd(), expect.stringMatching(/^\{"op_code": 3, /)]);
  });

  test('a damaged line before the last fails (Optuna could not read the file either)', async () => {
    const path = join(tmp(), 'study.log');
    writeFileSync(path, `${STUDY('s')}{"op_code": 4, "wor\n${TRIAL}`);
    expect(await codeOf(optunaJournal(path).load(() => {}))).toMatch(/^STORAGE_MISMATCH: Optuna journal '.*' line 2 is damaged/);
  });

  test("a file of another format (an nnkit JSON-lines journal) is refused and left as it was", async () => {
    const path = join(tmp(), 'study.jsonl');
    const text = `${JSON.stringify(header)}\n`;
    writeFileSync(path, text);
    expect(await codeOf(optunaJournal(path).load(() => {}))).toMatch(/^STORAGE_MISMATCH: file '.*' is not an Optuna journal: line 1 op_code undefined/);
    writeFileSync(path, 'lr,value\n0.1,0.5');
    expect(await codeOf(optunaJournal(path).load(() => {}))).toMatch(/^STORAGE_MISMATCH: .* is not an Optuna journal: line 1 /);
    expect(readFileSync(path, 'utf8')).toBe('lr,value\n0.1,0.5');
  });

  test("without `study`: the journal's only study, 'nnkit' in a new one, an error listing several", async () => {
    const dir = tmp();
    const one = join(dir, 'one.log');
    writeFileSync(one, STUDY('mine') + TRIAL);
    expect((await optunaJournal(one).load(() => {})).length).toBe(1);
    const fresh = join(dir, 'new.log');
    const storage = optunaJournal(fresh);
    await storage.load(() => {});
    await storage.append(header);
    expect(readFileSync(fresh, 'utf8')).toMatch(/^\{"op_code": 0, "worker_id": "[0-9a-f-]+-\d+", "study_name": "nnkit", "directions": \[1\]\}\n/);
    const two = join(dir, 'two.log');
    writeFileSync(two, STUDY('a') + STUDY('b'));
    expect(await codeOf(optunaJournal(two).load(() => {}))).toBe(
      `INVALID_ARGUMENT: Optuna journal '${two}' holds 2 studies ('a', 'b'); pass optunaJournal('${two}', { study }) naming one`,
    );
    expect(await optunaJournal(two, { study: 'b' }).load(() => {})).toEqual([]);
  });

  test('bad arguments', async () => {
    expect(await codeOf(() => optunaJournal('x.log', { study: '' }))).toMatch(/^INVALID_ARGUMENT: optunaJournal\(\): study '' .*1 to 200 characters/);
    expect(await codeOf(() => optunaJournal('x.log', { study: 'a'.repeat(201) }))).toMatch(/^INVALID_ARGUMENT: .*1 to 200 characters/);
    expect(await codeOf(() => optunaJournal('x.log', { studyName: 'a' } as never))).toMatch(/^INVALID_ARGUMENT: optunaJournal\(\): unknown option "studyName"/);
    expect(await codeOf(optunaJournal(tmp()).load(() => {}))).toMatch(/^INVALID_ARGUMENT: Optuna journal path '.*' is a folder/);
    const missing = join(tmp(), 'no-such-folder', 'study.log');
    expect(await codeOf(optunaJournal(missing).exclusive(() => ({ append: [], result: 0 }), () => {}))).toMatch(/^STORAGE_UNAVAILABLE: Optuna journal '.*': folder '.*no-such-folder' does not exist; create it first/);
  });

  test("appends wait for Optuna's lock link, and go on once it is released", async () => {
    const path = join(tmp(), 'study.log');
    const storage = optunaJournal(path);
    await storage.load(() => {});
    symlinkSync(path, `${path}.lock`);
    const size = statSync(path).size;
    const pending = storage.append(header);
    await new Promise((r) => setTimeout(r, 200));
    expect(statSync(path).size).toBe(size);
    rmSync(`${path}.lock`);
    await pending;
    expect(statSync(path).size).toBeGreaterThan(size);
    expect(linkExists(`${path}.lock`)).toBe(false);
  });

  test("the lock link of an nnkit process of this host that died is removed at once; others' are not", async () => {
    const { spawnSync } = await import('node:child_process');
    const { hostname } = await import('node:os');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const path = join(tmp(), 'study.log');
    writeFileSync(path, '');
    symlinkSync(`nnkit:${hostname()}:${dead}`, `${path}.lock`);
    const warnings: string[] = [];
    await optunaJournal(path).load((m) => warnings.push(m));
    expect(warnings).toEqual([`Optuna journal '${path}': removed the lock '${path}.lock' of process ${dead}, which died while writing the journal`]);
    expect(linkExists(`${path}.lock`)).toBe(false);
    // Another host's, a live process's, and Python's links (they point at the journal) are waited for.
    for (const target of [`nnkit:elsewhere:${dead}`, `nnkit:${hostname()}:${process.pid}`, path]) {
      symlinkSync(target, `${path}.lock`);
      expect(await codeOf(optunaJournal(path, { lockStaleMs: 50 }).load(() => {}))).toMatch(/^STORAGE_LOCKED: /);
      rmSync(`${path}.lock`);
    }
  });

  test('a lock link that stays in place for lockStaleMs fails with STORAGE_LOCKED naming it', async () => {
    const path = join(tmp(), 'study.log');
    writeFileSync(path, '');
    symlinkSync(path, `${path}.lock`);
    expect(await codeOf(optunaJournal(path, { lockStaleMs: 50 }).load(() => {}))).toMatch(
      new RegExp(`^STORAGE_LOCKED: .*locked by '${path}\\.lock' for over 50 ms.*delete '${path}\\.lock'`),
    );
  });

  test('two writers on one journal: each trial gets the trial_id Optuna gives it, whatever the other wrote since', async () => {
    const path = join(tmp(), 'study.log');
    const a = optunaJournal(path, { study: 'a' });
    const b = optunaJournal(path, { study: 'b' });
    await a.load(() => {});
    await b.load(() => {});
    const start = (id: number, x: number): StudyEvent => ({ type: 'start', id, params: { x }, meta: {}, attempt: 1, time: 0 });
    await a.append(header);
    await b.append(header);
    await a.append(start(0, 0.1));
    // b has not seen a's trial (trial_id 0) since its last write: its trial is trial_id 1.
    await b.append(start(0, 0.2));
    await b.append({ type: 'report', id: 0, step: 1, value: 2 });
    await a.append({ type: 'report', id: 0, step: 1, value: 1 });
    const trialsOf = async (study: string) => (await optunaJournal(path, { study, readOnly: true }).load(() => {})).filter((e) => e.type !== 'study');
    expect(await trialsOf('a')).toEqual([start(0, 0.1), { type: 'report', id: 0, step: 1, value: 1 }].map((e) => (e.type === 'start' ? { ...e, time: expect.any(Number) } : e)));
    expect(await trialsOf('b')).toEqual([start(0, 0.2), { type: 'report', id: 0, step: 1, value: 2 }].map((e) => (e.type === 'start' ? { ...e, time: expect.any(Number) } : e)));
  });
});
