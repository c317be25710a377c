// A damaged journal line costs at most the record it held: every other trial is kept, ids stay
// 0, 1, 2, … and each skipped line is reported with its line number.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logUniform, uniform } from './distributions';
import { loadStudy } from './load-study';
import { randomSearch } from './random-search';

const dirs: string[] = [];
const journalPath = () => {
  const d = mkdtempSync(join(tmpdir(), 'nnkit-damage-'));
  dirs.push(d);
  return join(d, 'study.jsonl');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const space = { lr: logUniform(1e-4, 1), x: uniform(-1, 1) };
const f = (p: Record<string, unknown>, trial: { report(s: number, v: number): void }) => {
  trial.report(0, p.x as number);
  return (p.x as number) ** 2;
};
const quiet = { seed: 3, progress: false } as const;

/** An 8-trial journal; with one objective call per trial it is: line 1 the study, then trial k on lines 3k+2 (start), 3k+3 (report), 3k+4 (finish). */
async function eightTrials(path: string) {
  const study = await randomSearch(space, f, { trials: 8, ...quiet, storage: path });
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  expect(lines).toHaveLength(1 + 8 * 3);
  return { study, lines };
}
const startLine = (k: number) => 3 * k + 2;
const write = (path: string, lines: string[]) => writeFileSync(path, `${lines.join('\n')}\n`);

async function resume(path: string, trials = 8) {
  const warnings: string[] = [];
  const calls: number[] = [];
  const study = await randomSearch(space, (p, t) => {
    calls.push(t.id);
    return f(p, t);
  }, { trials, ...quiet, storage: path, onWarning: (m) => warnings.push(m) });
  return { study, calls, warnings };
}

describe('a damaged journal line', () => {
  it("garbage in place of trial 2's start keeps trial 2 from its intact finish line and runs nothing", async () => {
    const path = journalPath();
    const { study: original, lines } = await eightTrials(path);
    lines[startLine(2) - 1] = 'x7#garbage';
    write(path, lines);
    const { study, calls, warnings } = await resume(path);
    expect(calls).toEqual([]);
    expect(study.trials.map((t) => t.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(study.trials.map((t) => [t.params, t.value, t.state])).toEqual(original.trials.map((t) => [t.params, t.value, t.state]));
    expect(warnings).toEqual([expect.stringMatching(/line 8: unreadable record skipped/)]);
  });

  it("a finish line that does not name the params (an older journal) makes the trial run again under its own id", async () => {
    const path = journalPath();
    const { study: original, lines } = await eightTrials(path);
    const old = lines.map((l) => {
      const e = JSON.parse(l);
      if (e.type === 'finish') {
        delete e.params;
        delete e.meta;
        delete e.attempt;
      }
      return JSON.stringify(e);
    });
    old[startLine(2) - 1] = 'x7#garbage';
    write(path, old);
    const { study, calls, warnings } = await resume(path);
    expect(calls).toEqual([2]);
    expect(study.trials.map((t) => t.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Trial i samples from the stream (seed, i): the re-run has the params trial 2 had.
    expect(study.trials.map((t) => [t.params, t.value])).toEqual(original.trials.map((t) => [t.params, t.value]));
    expect(warnings).toEqual([
      expect.stringMatching(/line 8: unreadable record skipped/),
      expect.stringMatching(/line 9: .*trial 2 has no readable start/),
      expect.stringMatching(/line 10: trial 2 finished but its start line is missing/),
      expect.stringMatching(/trial 2 has no readable record .*runs again/),
    ]);
  });

  it('a trial whose start line was lost while it ran (no finish) is run again under its own id, after which ids go on', async () => {
    const path = journalPath();
    const { study: original, lines } = await eightTrials(path);
    // As if trials 5, 6, 7 had run at once and the process died during 5, its start line torn.
    lines[startLine(5) - 1] = lines[startLine(5) - 1].slice(0, 30);
    lines.splice(startLine(5) + 1, 1); // trial 5's finish never written
    write(path, lines);
    const { study, calls, warnings } = await resume(path, 9);
    expect(calls).toEqual([5, 8]);
    expect(study.trials.map((t) => t.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(study.trials[5].params).toEqual(original.trials[5].params);
    expect(warnings).toEqual([
      expect.stringMatching(/line 17: unreadable record skipped/),
      expect.stringMatching(/line 18: .*trial 5 has no readable start/),
      expect.stringMatching(/trial 5 has no readable record .*runs again/),
    ]);
  });

  it('a start line with a huge id is rejected as damaged: ids do not jump', async () => {
    const path = journalPath();
    const { lines } = await eightTrials(path);
    const bogus = { ...JSON.parse(lines[startLine(3) - 1]), id: 1000000 };
    lines.splice(startLine(4) - 1, 0, JSON.stringify(bogus)); // becomes line 14
    write(path, lines);
    const { study, calls, warnings } = await resume(path, 10);
    expect(calls).toEqual([8, 9]);
    expect(study.trials.map((t) => t.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(warnings).toEqual([expect.stringMatching(/line 14: trial id 1000000 cannot appear on line 14/)]);
    // The study is read back the same way, with the same warning.
    const back: string[] = [];
    expect((await loadStudy(path, (m) => back.push(m))).trials).toHaveLength(10);
    expect(back).toEqual([expect.stringMatching(/line 14: trial id 1000000/)]);
  });

  it('a stray line for a finished trial is reported and changes nothing', async () => {
    const path = journalPath();
    const { study: original, lines } = await eightTrials(path);
    lines.push(JSON.stringify({ type: 'report', id: 1, step: 7, value: 99 }));
    write(path, lines);
    const warnings: string[] = [];
    const back = await loadStudy(path, (m) => warnings.push(m));
    expect(back.trials).toEqual(original.trials);
    expect(warnings).toEqual([expect.stringMatching(/line 26: trial 1 had already finished/)]);
  });
});

describe('the torn-last-line repair', () => {
  it('a journal torn inside a "start" line: the resumed start begins on a line of its own and trial 3 is kept', async () => {
    const path = journalPath();
    await randomSearch(space, f, { trials: 3, ...quiet, storage: path });
    const full = readFileSync(path, 'utf8');
    // The process died while writing trial 3's start: the file ends inside that line.
    const start3 = JSON.stringify({ type: 'start', id: 3, params: { lr: 0.01, x: 0.5 }, meta: {}, attempt: 1, time: 0 });
    const torn = start3.slice(0, 25);
    writeFileSync(path, full + torn);
    const { calls } = await resume(path, 5);
    expect(calls).toEqual([3, 4]);

    const after = readFileSync(path, 'utf8').split('\n');
    // 10 lines of three trials, then the torn fragment alone, then trial 3's real start.
    expect(after[10]).toBe(torn);
    expect(JSON.parse(after[11])).toMatchObject({ type: 'start', id: 3, attempt: 1 });
    const warnings: string[] = [];
    const back = await loadStudy(path, (m) => warnings.push(m));
    expect(warnings).toEqual([expect.stringMatching(/line 11: unreadable record skipped/)]);
    expect(back.trials.map((t) => [t.id, t.state])).toEqual([0, 1, 2, 3, 4].map((id) => [id, 'complete']));
    expect(back.trials[3].intermediate).toHaveLength(1);
  });
});

describe('journal paths', () => {
  it('a path that is a folder is refused with an NnkitError naming it', async () => {
    const path = journalPath();
    mkdirSync(path);
    await expect(randomSearch(space, f, { trials: 1, ...quiet, storage: path })).rejects.toMatchObject({
      name: 'NnkitError',
      code: 'INVALID_ARGUMENT',
      message: `journal path '${path}' is a folder; expected a file path such as '${join(path, 'study.jsonl')}'`,
    });
    await expect(loadStudy(path)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('a path in a missing folder is refused with an NnkitError naming the folder', async () => {
    const path = join(journalPath(), 'missing', 'study.jsonl');
    const folder = join(path, '..');
    await expect(randomSearch(space, f, { trials: 1, ...quiet, storage: path })).rejects.toMatchObject({
      name: 'NnkitError',
      code: 'STORAGE_UNAVAILABLE',
      message: `journal path '${path}': folder '${folder}' does not exist; create it first`,
    });
  });
});
