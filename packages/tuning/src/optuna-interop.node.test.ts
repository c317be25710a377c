// nnkit and Python's Optuna on one journal. The fixture test needs only the committed file that
// Optuna 3.1 wrote (scripts/make-optuna-fixture.py); the others run Python (Debian's
// python3-optuna): when it is missing they fail in CI, which installs it, and are skipped with a
// warning elsewhere.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { choice, intLogUniform, intUniform, logUniform, oneMinusLogUniform, uniform } from './distributions';
import { NnkitError } from './errors';
import { loadStudy } from './load-study';
import { optunaJournal } from './optuna-journal';
import { randomSearch } from './random-search';

const PYTHON = '/usr/bin/python3';
const HERE = fileURLToPath(new URL('.', import.meta.url));
const FIXTURE = join(HERE, '../test/fixtures/optuna-3.1-study.log');
const READER = join(HERE, '../scripts/read-optuna-journal.py');
const hasOptuna = spawnSync(PYTHON, ['-c', 'import optuna'], { stdio: 'ignore' }).status === 0;
const inCI = Boolean(process.env.CI);
if (!hasOptuna && !inCI) {
  console.warn(`optuna-interop: Python tests skipped — ${PYTHON} cannot import optuna (apt-get install python3-optuna); CI installs it and runs them`);
}
const pythonTest = hasOptuna || inCI ? test : test.skip;
function needPython(): void {
  if (!hasOptuna) throw new Error(`${PYTHON} cannot import optuna: install python3-optuna (.ci/run does so with apt-get)`);
}

interface PyTrial {
  number: number;
  state: string;
  values: (number | string)[] | null;
  params: Record<string, unknown>;
  distributions: Record<string, unknown>;
  intermediate: Record<string, number | string>;
  system_attrs: Record<string, unknown>;
}
function readWithOptuna(path: string, study: string): { direction: string; studies: string[]; best_value: number | null; trials: PyTrial[] } {
  needPython();
  const r = spawnSync(PYTHON, [READER, path, study], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`Optuna could not read ${path}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'nnkit-optuna-interop-'));
  dirs.push(d);
  return d;
}

// The fixture's objective (scripts/make-optuna-fixture.py, `score`).
const fixtureSpace = { lr: logUniform(1e-4, 1), units: intLogUniform(16, 256), layers: intUniform(1, 4), act: choice(['relu', 'tanh']) };
type FixtureParams = { lr: number; units: number; layers: number; act: string };
const score = (p: FixtureParams) => -((Math.log10(p.lr) + 2) ** 2) - 0.1 * (p.layers - 2) ** 2 + (p.act === 'relu' ? 0.5 : 0) + Math.log2(p.units) / 10;

describe('a study Optuna 3.1 wrote, resumed by nnkit', () => {
  const expected = JSON.parse(readFileSync(join(HERE, '../test/fixtures/optuna-3.1-study.json'), 'utf8')) as {
    best_value: number;
    best_number: number;
    trials: { number: number; state: string; values: number[] | null; params: FixtureParams }[];
  };

  test("continues its trial numbers and keeps Optuna's trials and best value", async () => {
    const path = join(tmp(), 'study.log');
    copyFileSync(FIXTURE, path);
    const warnings: string[] = [];
    const study = await randomSearch(fixtureSpace, (p) => score(p as FixtureParams), {
      trials: 14,
      seed: 3,
      direction: 'maximize',
      storage: optunaJournal(path),
      onWarning: (m) => warnings.push(m),
    });
    expect(study.trials.map((t) => t.id)).toEqual([...Array(14).keys()]);
    const state = { COMPLETE: 'complete', PRUNED: 'pruned', FAIL: 'failed' } as Record<string, string>;
    for (const t of expected.trials) {
      const mine = study.trials[t.number];
      expect(mine.params).toEqual(t.params);
      expect(mine.state).toBe(state[t.state]);
      if (t.values) expect(mine.value).toBe(t.values[0]);
      else expect(mine.value).toBeNaN();
    }
    const old = study.trials.filter((t) => t.id < 10 && t.state === 'complete').map((t) => t.value);
    expect(Math.max(...old)).toBe(expected.best_value);
    const fresh = study.trials.slice(10);
    expect(fresh.every((t) => t.state === 'complete' && t.value === score(t.params as FixtureParams))).toBe(true);
    expect(study.best.value).toBe(Math.max(expected.best_value, ...fresh.map((t) => score(t.params as FixtureParams))));
    // nnkit adopted Optuna's trials (the study had no nnkit header yet); nothing else to warn about.
    expect(warnings.filter((w) => !/no study header; adopting them/.test(w))).toEqual([]);

    // Read back by nnkit, and by Optuna when it is here.
    const again = await optunaJournal(path).load(() => {});
    expect(again.filter((e) => e.type === 'finish').length).toBe(14);
    if (hasOptuna) {
      const py = readWithOptuna(path, 'optuna-made');
      expect(py.trials.map((t) => t.number)).toEqual([...Array(14).keys()]);
      expect(py.best_value).toBe(study.best.value);
    }
  });

  test("a trial left RUNNING by a Python process that died is neither waited for nor retried", async () => {
    const path = join(tmp(), 'study.log');
    // The fixture without its last line (trial 9's COMPLETE): trial 9 stays RUNNING, as when the
    // Python process was killed during it.
    const lines = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ op_code: 6, trial_id: 9, state: 1 });
    writeFileSync(path, `${lines.slice(0, -1).join('\n')}\n`);
    const warnings: string[] = [];
    const study = await randomSearch(fixtureSpace, (p) => score(p as FixtureParams), {
      trials: 12, seed: 3, direction: 'maximize', storage: optunaJournal(path), onWarning: (m) => warnings.push(m),
    });
    expect(study.trials.map((t) => t.state)).toEqual([...expected.trials.slice(0, 9).map((t) => ({ COMPLETE: 'complete', PRUNED: 'pruned', FAIL: 'failed' })[t.state]), 'running', 'complete', 'complete']);
    expect(warnings.filter((w) => /trial 9 still runs without an nnkit owner/.test(w))).toHaveLength(1);
    if (hasOptuna) expect(readWithOptuna(path, 'optuna-made').trials.map((t) => t.state).slice(9)).toEqual(['RUNNING', 'COMPLETE', 'COMPLETE']);
  }, 60_000);

  test('loadStudy reads it, read-only, without any nnkit header', async () => {
    const study = await loadStudy(optunaJournal(FIXTURE, { readOnly: true }));
    expect(study.direction).toBe('maximize');
    expect(study.sampler).toBe('optuna');
    expect(study.trials.length).toBe(10);
    expect(study.best.value).toBe(expected.best_value);
    expect(study.best.id).toBe(expected.best_number);
  });

  test('another space or direction is refused with STORAGE_MISMATCH, and the journal is left as it was', async () => {
    const path = join(tmp(), 'study.log');
    copyFileSync(FIXTURE, path);
    const before = readFileSync(path, 'utf8');
    const code = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (e) {
        return e instanceof NnkitError ? `${e.code}: ${e.message}` : String(e);
      }
      return 'no error';
    };
    const objective = () => 0;
    const other = { ...fixtureSpace, lr: uniform(1e-4, 1) };
    expect(await code(() => randomSearch(other, objective, { trials: 12, direction: 'maximize', storage: optunaJournal(path), onWarning: () => {} }))).toMatch(
      /^STORAGE_MISMATCH: Optuna study 'optuna-made' trial 0 has param 'lr'/,
    );
    expect(await code(() => randomSearch(fixtureSpace, objective, { trials: 12, direction: 'minimize', storage: optunaJournal(path), onWarning: () => {} }))).toMatch(
      /^STORAGE_MISMATCH: Optuna study 'optuna-made' is to maximize; this search would minimize/,
    );
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});

describe("a study nnkit wrote, read by Python's Optuna", () => {
  pythonTest('same trials, params, distributions, states, values and best value', async () => {
    needPython();
    const path = join(tmp(), 'study.log');
    const space = {
      lr: logUniform(1e-4, 1),
      beta: oneMinusLogUniform(0.9, 0.999),
      layers: intUniform(1, 4),
      units: intLogUniform(16, 256),
      act: choice(['relu', 'tanh', null]),
      dropout: uniform(0, 0.5),
    };
    const study = await randomSearch(
      space,
      (p, trial) => {
        const v = (Math.log10(p.lr) + 2) ** 2 + (1 - p.beta) * 10 + p.layers / 10 + p.units / 1000 + p.dropout;
        trial.report(0, v + 1);
        if (p.layers === 1) trial.prune();
        return p.act === null ? Number.NaN : v;
      },
      { trials: 16, seed: 5, storage: optunaJournal(path, { study: 'from-nnkit' }), pruner: null, onWarning: () => {} },
    );
    const states = study.trials.map((t) => t.state);
    expect(['complete', 'pruned', 'failed'].every((s) => states.includes(s as never))).toBe(true);

    const py = readWithOptuna(path, 'from-nnkit');
    expect(py.direction).toBe('MINIMIZE');
    expect(py.best_value).toBe(study.best.value);
    const float = (low: number, high: number, log: boolean) => ({ name: 'FloatDistribution', attributes: { step: null, low, high, log } });
    const int = (low: number, high: number, log: boolean) => ({ name: 'IntDistribution', attributes: { log, step: 1, low, high } });
    const distributions = {
      lr: float(1e-4, 1, true),
      beta: float(0.9, 0.999, false),
      layers: int(1, 4, false),
      units: int(16, 256, true),
      act: { name: 'CategoricalDistribution', attributes: { choices: ['relu', 'tanh', null] } },
      dropout: float(0, 0.5, false),
    };
    const name = { complete: 'COMPLETE', pruned: 'PRUNED', failed: 'FAIL', running: 'RUNNING' };
    expect(py.trials.length).toBe(16);
    for (const t of study.trials) {
      const p = py.trials[t.id];
      expect(p.number).toBe(t.id);
      expect(p.state).toBe(name[t.state]);
      expect(p.params).toEqual(t.params);
      expect(p.distributions).toEqual(distributions);
      expect(p.system_attrs['nnkit:distributions']).toEqual({ beta: { kind: 'oneMinusLogUniform', low: 0.9, high: 0.999 } });
      // Optuna's pruned trials carry their last reported value, failed ones none.
      expect(p.values).toEqual(t.state === 'failed' ? null : [t.value]);
      expect(p.intermediate).toEqual({ 0: t.intermediate[0].value });
    }
  });

  pythonTest("Python and nnkit append to one journal at once through Optuna's lock", async () => {
    needPython();
    const path = join(tmp(), 'study.log');
    // Python's side: 25 trials of its own study, each reporting once and taking 20 ms.
    const script = [
      'import sys, time, optuna',
      'optuna.logging.set_verbosity(optuna.logging.ERROR)',
      'from optuna.storages import JournalStorage, JournalFileStorage',
      's = optuna.create_study(study_name="py", storage=JournalStorage(JournalFileStorage(sys.argv[1])), load_if_exists=True)',
      'def f(t):',
      '    x = t.suggest_float("x", 0, 1)',
      '    t.report(x, 0)',
      '    time.sleep(0.02)',
      '    return x',
      's.optimize(f, n_trials=25)',
    ].join('\n');
    const python = new Promise<number | null>((resolve) => spawn(PYTHON, ['-W', 'ignore', '-c', script, path], { stdio: 'inherit' }).on('exit', resolve));
    // nnkit's trial k runs once Python has begun its trial k + 2, so that both write all along.
    const pythonTrials = () => (existsSync(path) ? readFileSync(path, 'utf8').match(/"op_code": 4, "worker_id": "[^"]+", "study_id": 0,/g)?.length ?? 0 : 0);
    const until = async (n: number) => {
      while (pythonTrials() < Math.min(n, 25)) await new Promise((r) => setTimeout(r, 10));
    };
    await until(2);
    const study = await randomSearch(
      { y: uniform(0, 1) },
      async (p, trial) => {
        trial.report(0, p.y);
        await until(trial.id + 3);
        return p.y;
      },
      { trials: 25, seed: 2, storage: optunaJournal(path, { study: 'js' }), onWarning: () => {} },
    );
    expect(await python).toBe(0);
    const js = readWithOptuna(path, 'js');
    const py = readWithOptuna(path, 'py');
    expect(js.studies.sort()).toEqual(['js', 'py']);
    expect(py.trials.map((t) => t.state)).toEqual(Array(25).fill('COMPLETE'));
    // Python wrote between nnkit's first and last lines…
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { worker_id: string; study_name?: string });
    const nnkitWorker = lines.find((l) => l.study_name === 'js')?.worker_id;
    const first = lines.findIndex((l) => l.worker_id === nnkitWorker);
    const last = lines.length - 1 - [...lines].reverse().findIndex((l) => l.worker_id === nnkitWorker);
    expect(lines.slice(first, last).some((l) => l.worker_id !== nnkitWorker)).toBe(true);
    // …and every report of nnkit's still reached its own trial.
    expect(js.trials.map((t) => [t.state, t.params.y, t.intermediate[0], t.values])).toEqual(study.trials.map((t) => ['COMPLETE', t.params.y, t.value, [t.value]]));
  });
});
