// optunaJournal as a storage that several processes share: claims under Optuna's lock (exclusive),
// heartbeats from a worker thread, stale trials.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { optunaJournal } from './optuna-journal';
import type { StudyEvent } from './storage';
import { STUDY_HEADER } from './test-support/study-header';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function journal(): string {
  const d = mkdtempSync(join(tmpdir(), 'nnkit-optuna-shared-'));
  dirs.push(d);
  return join(d, 'study.log');
}

const header = STUDY_HEADER;
type Start = Extract<StudyEvent, { type: 'start' }>;
const start = (id: number, owner: string, time = Date.now()): Start => ({ type: 'start', id, params: { x: id / 10 }, meta: {}, attempt: 1, time, ...{ owner } });

/** A claim as the study loop makes one: the next id after every start stored by anyone. */
function claim(owner: string, time?: number) {
  return (events: readonly StudyEvent[]) => {
    const id = events.filter((e) => e.type === 'start').length;
    const append: StudyEvent[] = events.some((e) => e.type === 'study') ? [] : [header];
    return { append: [...append, start(id, owner, time)], result: id };
  };
}

describe('optunaJournal shared by several processes', () => {
  test("exclusive: each claim sees every other writer's claims, so no id is taken twice", async () => {
    const path = journal();
    const a = optunaJournal(path);
    const b = optunaJournal(path);
    await a.load(() => {});
    await b.load(() => {});
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await a.exclusive(claim('a'), () => {}));
      ids.push(await b.exclusive(claim('b'), () => {}));
    }
    expect(ids).toEqual([0, 1, 2, 3, 4, 5]);
    const events = await optunaJournal(path, { readOnly: true }).load(() => {});
    expect(events.filter((e) => e.type === 'start').map((e) => [e.id, (e as { owner?: string }).owner])).toEqual([
      [0, 'a'], [1, 'b'], [2, 'a'], [3, 'b'], [4, 'a'], [5, 'b'],
    ]);
    // A report of b's trial 3 goes to b's trial, not to whatever a created since.
    await b.append({ type: 'report', id: 3, step: 0, value: 0.25 });
    const back = await optunaJournal(path, { readOnly: true }).load(() => {});
    expect(back.filter((e) => e.type === 'report')).toEqual([{ type: 'report', id: 3, step: 0, value: 0.25 }]);
  });

  test('exclusive needs no load first (a shared study only claims)', async () => {
    const path = journal();
    const s = optunaJournal(path, { study: 'shared' });
    expect(await s.exclusive(claim('me'), () => {})).toBe(0);
    expect(await s.exclusive(claim('me'), () => {})).toBe(1);
    const events = await optunaJournal(path, { readOnly: true }).load(() => {});
    expect(events.map((e) => e.type)).toEqual(['study', 'start', 'start']);
  });

  test('exclusive: when fn throws nothing is appended, and later appends still work', async () => {
    const path = journal();
    const s = optunaJournal(path);
    await s.load(() => {});
    await s.exclusive(claim('me'), () => {});
    const size = statSync(path).size;
    await expect(
      s.exclusive(() => {
        throw new Error('no');
      }, () => {}),
    ).rejects.toThrow('no');
    expect(statSync(path).size).toBe(size);
    await s.append({ type: 'report', id: 0, step: 0, value: 1 });
    expect(statSync(path).size).toBeGreaterThan(size);
  });

  test("stale: a trial whose process is gone at once; one with no heartbeat for graceMs; never one nnkit did not claim", async () => {
    const path = journal();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const s = optunaJournal(path, { heartbeatMs: 1000, graceMs: 60_000 });
    await s.load(() => {});
    const host = hostname();
    await s.exclusive(claim(`${host}:${dead}`), () => {}); // 0: its process is gone
    await s.exclusive(claim(`${host}:${process.pid}`), () => {}); // 1: alive, just started
    await s.exclusive(claim('elsewhere:1', Date.now() - 120_000), () => {}); // 2: silent for 2 minutes
    await s.exclusive(claim(`${host}:${process.pid}`, Date.now() - 120_000), () => {}); // 3: started long ago, beating
    const stop = s.heartbeat(3);
    const beat = `${path}.beats/3`;
    while (!existsSync(beat)) await new Promise((r) => setTimeout(r, 10));
    // A trial Python runs (no owner) is never stale.
    await s.exclusive((events) => {
      const { owner: _none, ...python } = start(events.filter((e) => e.type === 'start').length, '', Date.now() - 120_000) as Start & { owner?: string };
      return { append: [python], result: 0 };
    }, () => {});
    const stale = await s.exclusive((_events, st) => ({ append: [], result: [...st].sort() }), () => {});
    expect(stale).toEqual([0, 2]);
    stop();
    while (existsSync(beat)) await new Promise((r) => setTimeout(r, 10));
    await s.close?.();
  });

  test('heartbeats keep coming while the main thread is busy', async () => {
    const path = journal();
    const s = optunaJournal(path, { heartbeatMs: 50, graceMs: 1000 });
    await s.load(() => {});
    await s.exclusive(claim(`${hostname()}:${process.pid}`), () => {});
    const stop = s.heartbeat(0);
    const beat = `${path}.beats/0`;
    while (!existsSync(beat)) await new Promise((r) => setTimeout(r, 5));
    const first = statSync(beat).mtimeMs;
    // Busy, as a function objective training a model: no timer of this thread can fire, so a newer
    // beat can only come from the worker thread (the loop gives up after 20 s on a loaded machine).
    const t0 = Date.now();
    while (statSync(beat).mtimeMs === first && Date.now() - t0 < 20_000) {}
    expect(statSync(beat).mtimeMs).toBeGreaterThan(first);
    expect(readFileSync(beat, 'utf8')).toBe(`${hostname()}:${process.pid}`);
    stop();
    await s.close?.();
  });
});
