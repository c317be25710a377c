import { describe, expect, test } from 'vitest';
import { NnkitError } from './errors';
import { type EncodeContext, encodeEvent, studyEvents } from './optuna-journal-codec';
import { JournalState, type JournalLog, whyNotLog } from './optuna-journal-state';
import { parsePyJson, pyJson } from './optuna-json';
import type { StudyHeaderEvent } from './storage';

// Journal lines in the format of Optuna 3.1's JournalStorage (optuna/storages/_journal/storage.py:
// `_write_log` puts op_code and worker_id first, then the fields of each operation;
// `distribution_to_json` nests each distribution as a JSON string), written by hand.
const dist = {
  lrLog: '"{\\"name\\": \\"FloatDistribution\\", \\"attributes\\": {\\"step\\": null, \\"low\\": 0.0001, \\"high\\": 1.0, \\"log\\": true}}"',
  n: '"{\\"name\\": \\"IntDistribution\\", \\"attributes\\": {\\"log\\": false, \\"step\\": 1, \\"low\\": 1, \\"high\\": 4}}"',
  m: '"{\\"name\\": \\"IntDistribution\\", \\"attributes\\": {\\"log\\": true, \\"step\\": 1, \\"low\\": 16, \\"high\\": 256}}"',
  act: '"{\\"name\\": \\"CategoricalDistribution\\", \\"attributes\\": {\\"choices\\": [\\"relu\\", null, 3, true]}}"',
  actFloat: '"{\\"name\\": \\"FloatDistribution\\", \\"attributes\\": {\\"step\\": null, \\"low\\": 0.0, \\"high\\": 1.0, \\"log\\": false}}"',
};
const PYTHON_LINES = [
  '{"op_code": 0, "worker_id": "w-1", "study_name": "demo", "directions": [2]}',
  '{"op_code": 0, "worker_id": "w-1", "study_name": "other", "directions": [1]}',
  '{"op_code": 4, "worker_id": "w-1", "study_id": 1, "datetime_start": "2026-12-01T22:30:26.000000"}',
  '{"op_code": 4, "worker_id": "w-1", "study_id": 0, "datetime_start": "2026-12-01T22:30:26.272432"}',
  `{"op_code": 5, "worker_id": "w-1", "trial_id": 1, "param_name": "lr", "param_value_internal": 0.004656804637919571, "distribution": ${dist.lrLog}}`,
  `{"op_code": 5, "worker_id": "w-1", "trial_id": 1, "param_name": "n", "param_value_internal": 1.0, "distribution": ${dist.n}}`,
  `{"op_code": 5, "worker_id": "w-1", "trial_id": 1, "param_name": "m", "param_value_internal": 36.0, "distribution": ${dist.m}}`,
  `{"op_code": 5, "worker_id": "w-1", "trial_id": 1, "param_name": "act", "param_value_internal": 3, "distribution": ${dist.act}}`,
  '{"op_code": 7, "worker_id": "w-1", "trial_id": 1, "step": 0, "intermediate_value": 0.5}',
  '{"op_code": 6, "worker_id": "w-1", "trial_id": 1, "state": 1, "values": [0.8058284703578258], "datetime_complete": "2026-12-01T22:30:26.284477"}',
  // A finished trial cannot change; a second study of the same name is not created.
  '{"op_code": 7, "worker_id": "w-1", "trial_id": 1, "step": 1, "intermediate_value": 9.0}',
  '{"op_code": 0, "worker_id": "w-2", "study_name": "demo", "directions": [1]}',
  '{"op_code": 4, "worker_id": "w-2", "study_id": 0, "datetime_start": "2026-12-01T22:30:27.000000"}',
  `{"op_code": 5, "worker_id": "w-2", "trial_id": 2, "param_name": "lr", "param_value_internal": 0.5, "distribution": ${dist.lrLog}}`,
  // Another kind of distribution than the study's first 'act': Optuna ignores the param.
  `{"op_code": 5, "worker_id": "w-2", "trial_id": 2, "param_name": "act", "param_value_internal": 0.5, "distribution": ${dist.actFloat}}`,
  '{"op_code": 7, "worker_id": "w-2", "trial_id": 2, "step": 3, "intermediate_value": NaN}',
  '{"op_code": 6, "worker_id": "w-2", "trial_id": 2, "state": 2, "values": null, "datetime_complete": "2026-12-01T22:30:27.500000"}',
  '{"op_code": 4, "worker_id": "w-1", "study_id": 0, "datetime_start": "2026-12-01T22:30:28.000000"}',
  '{"op_code": 6, "worker_id": "w-1", "trial_id": 3, "state": 3, "values": null, "datetime_complete": "2026-12-01T22:30:28.000100"}',
  '{"op_code": 4, "worker_id": "w-1", "study_id": 0, "datetime_start": "2026-12-01T22:30:29.000000"}',
  // An enqueued trial (Optuna's template form of CREATE_TRIAL, state WAITING).
  '{"op_code": 4, "worker_id": "w-1", "study_id": 0, "datetime_start": null, "state": 4, "value": null, "values": null, "distributions": {}, "params": {}, "user_attrs": {}, "system_attrs": {"fixed_params": {"lr": 0.01}}, "intermediate_values": {}}',
];

function replayLines(lines: string[]): JournalState {
  const state = new JournalState();
  for (const line of lines) state.apply(parsePyJson(line) as JournalLog);
  return state;
}

// 22:30:<s> on 2026-12-01, local time, in milliseconds (microseconds as the fraction).
const at = (s: string) => new Date(2026, 11, 1, 22, 30, Number(s.split('.')[0])).getTime() + Number((s.split('.')[1] ?? '').padEnd(6, '0')) / 1000;

describe('reading a journal Optuna wrote', () => {
  test('studies, global trial ids, numbers per study, ignored operations', () => {
    const state = replayLines(PYTHON_LINES);
    expect([...state.studies.values()].map((s) => [s.name, s.directions, s.trialIds])).toEqual([
      ['demo', [2], [1, 2, 3, 4, 5]],
      ['other', [1], [0]],
    ]);
    expect(state.trials[1].intermediate.get(1)).toBeUndefined();
    expect(state.trials[2].params).toEqual({ lr: 0.5 });
  });

  test("nnkit's events: params in nnkit's values, states, values, durations from the datetimes", () => {
    const state = replayLines(PYTHON_LINES);
    const { events, trialIds } = studyEvents(state, state.studyByName('demo') as never);
    const params0 = { lr: 0.004656804637919571, n: 1, m: 36, act: true };
    expect(events).toEqual([
      { type: 'start', id: 0, params: params0, meta: {}, attempt: 1, time: at('26.272432') },
      { type: 'report', id: 0, step: 0, value: 0.5 },
      // 22:30:26.284477 − 22:30:26.272432 = 12.045 ms
      { type: 'finish', id: 0, params: params0, meta: {}, attempt: 1, state: 'complete', value: 0.8058284703578258, durationMs: 12.045, time: at('26.284477') },
      { type: 'start', id: 1, params: { lr: 0.5 }, meta: {}, attempt: 1, time: at('27') },
      { type: 'report', id: 1, step: 3, value: 'NaN' },
      { type: 'finish', id: 1, params: { lr: 0.5 }, meta: {}, attempt: 1, state: 'pruned', value: 'NaN', durationMs: 500, time: at('27.5') },
      { type: 'start', id: 2, params: {}, meta: {}, attempt: 1, time: at('28') },
      { type: 'finish', id: 2, params: {}, meta: {}, attempt: 1, state: 'failed', value: 'NaN', durationMs: 0.1, time: at('28.0001') },
      { type: 'start', id: 3, params: {}, meta: {}, attempt: 1, time: at('29') },
    ]);
    expect([...trialIds]).toEqual([[0, 1], [1, 2], [2, 3], [3, 4]]);
  });

  test('a line that is no journal operation says why', () => {
    expect(whyNotLog({ type: 'study', version: 1 })).toMatch(/op_code undefined/);
    expect(whyNotLog({ op_code: 12, worker_id: 'w' })).toMatch(/op_code 12/);
    expect(whyNotLog({ op_code: 6, worker_id: 'w', trial_id: 0, state: 1 })).toBe('op_code 6 without "values"');
    expect(whyNotLog(parsePyJson(PYTHON_LINES[4]))).toBeUndefined();
  });
});

const header: StudyHeaderEvent = {
  type: 'study',
  version: 1,
  fingerprint: 'abcd0123',
  space: {
    lr: { kind: 'logUniform', low: 1e-4, high: 1 },
    beta: { kind: 'oneMinusLogUniform', low: 0.9, high: 0.999 },
    n: { kind: 'intUniform', low: 1, high: 4 },
    act: { kind: 'choice', values: ['relu', 'tanh'] },
  },
  direction: 'maximize',
  sampler: 'randomSearch',
  seed: 7,
  time: 1,
};

function context(state = new JournalState(), studyName = 'nnkit'): EncodeContext {
  return { state, studyName, workerId: 'w', trialIds: new Map(), space: undefined };
}

function write(ctx: EncodeContext, logs: JournalLog[]): string[] {
  const lines = logs.map((l) => pyJson(l));
  for (const line of lines) ctx.state.apply(parsePyJson(line) as JournalLog);
  return lines;
}

describe("writing nnkit's events as Optuna operations", () => {
  test('header: CREATE_STUDY with the direction, then the header in a study system attr', () => {
    const ctx = context();
    const lines = write(ctx, encodeEvent(header, ctx));
    expect(lines[0]).toBe('{"op_code": 0, "worker_id": "w", "study_name": "nnkit", "directions": [2]}');
    expect(lines[1]).toMatch(/^\{"op_code": 3, "worker_id": "w", "study_id": 0, "system_attr": \{"nnkit:study": \{"version": 1, "fingerprint": "abcd0123", "space": /);
  });

  test("start: one CREATE_TRIAL with distributions, internal params and nnkit's own distribution of β", () => {
    const ctx = context();
    write(ctx, encodeEvent(header, ctx));
    const time = new Date(2026, 11, 1, 22, 30, 26, 272).getTime();
    const lines = write(ctx, encodeEvent({ type: 'start', id: 0, params: { lr: 0.01, beta: 0.99, n: 2, act: 'tanh' }, meta: {}, attempt: 1, time }, ctx));
    const f = (low: string, high: string, log: boolean) => `"{\\"name\\": \\"FloatDistribution\\", \\"attributes\\": {\\"step\\": null, \\"low\\": ${low}, \\"high\\": ${high}, \\"log\\": ${log}}}"`;
    expect(lines).toEqual([
      '{"op_code": 4, "worker_id": "w", "study_id": 0, "datetime_start": "2026-12-01T22:30:26.272000", "state": 0, "value": null, "values": null, ' +
        `"distributions": {"lr": ${f('0.0001', '1.0', true)}, "beta": ${f('0.9', '0.999', false)}, ` +
        '"n": "{\\"name\\": \\"IntDistribution\\", \\"attributes\\": {\\"log\\": false, \\"step\\": 1, \\"low\\": 1, \\"high\\": 4}}", ' +
        '"act": "{\\"name\\": \\"CategoricalDistribution\\", \\"attributes\\": {\\"choices\\": [\\"relu\\", \\"tanh\\"]}}"}, ' +
        '"params": {"lr": 0.01, "beta": 0.99, "n": 2.0, "act": 1}, "user_attrs": {}, ' +
        '"system_attrs": {"nnkit:distributions": {"beta": {"kind": "oneMinusLogUniform", "low": 0.9, "high": 0.999}}}, "intermediate_values": {}}',
    ]);
    expect(ctx.trialIds.get(0)).toBe(0);
  });

  test('report, prune with NaN, fail and complete; read back as the same events', () => {
    const ctx = context();
    write(ctx, encodeEvent(header, ctx));
    const params = { lr: 0.01, beta: 0.99, n: 2, act: 'relu' };
    const events = [
      { type: 'start', id: 0, params, meta: { round: 1 }, attempt: 1, time: 1000 },
      { type: 'report', id: 0, step: 2, value: 'NaN' },
      { type: 'finish', id: 0, params, meta: { round: 1 }, attempt: 1, state: 'pruned', value: 'NaN', durationMs: 3.5, time: 2000 },
      { type: 'start', id: 1, params, meta: {}, attempt: 1, time: 3000 },
      { type: 'finish', id: 1, params, meta: {}, attempt: 1, state: 'failed', value: 'NaN', durationMs: 1, error: 'objective returned NaN; expected a number', time: 4000 },
      { type: 'start', id: 2, params, meta: {}, attempt: 1, time: 5000 },
      { type: 'start', id: 2, params, meta: {}, attempt: 2, time: 6000 },
      { type: 'checkpoint', id: 2, data: { epoch: 3 } },
      { type: 'finish', id: 2, params, meta: {}, attempt: 2, state: 'complete', value: 0.25, durationMs: 7, time: 7000 },
    ] as const;
    const lines = events.flatMap((e) => write(ctx, encodeEvent(e, ctx)));
    const states = lines.filter((l) => l.startsWith('{"op_code": 6')).map((l) => (parsePyJson(l) as { state: number; values: unknown }));
    expect(states.map((s) => [s.state, s.values])).toEqual([[2, null], [3, null], [1, [0.25]]]);
    expect(lines).toContain('{"op_code": 7, "worker_id": "w", "trial_id": 0, "step": 2, "intermediate_value": NaN}');
    expect(lines).toContain('{"op_code": 9, "worker_id": "w", "trial_id": 2, "system_attr": {"nnkit:attempt": 2}}');
    const back = studyEvents(ctx.state, ctx.state.studyByName('nnkit') as never).events;
    expect(back[0]).toEqual({ ...header });
    const byTrial = (id: number) => back.filter((e) => e.type !== 'study' && e.id === id);
    expect(byTrial(0).map((e) => e.type)).toEqual(['start', 'report', 'finish']);
    expect(byTrial(0)[2]).toMatchObject({ state: 'pruned', value: 'NaN', durationMs: 3.5, meta: { round: 1 } });
    expect(byTrial(1)[1]).toMatchObject({ state: 'failed', value: 'NaN', error: 'objective returned NaN; expected a number' });
    expect(byTrial(2)).toEqual([
      { type: 'start', id: 2, params, meta: {}, attempt: 2, time: 5000 },
      { type: 'checkpoint', id: 2, data: { epoch: 3 } },
      { type: 'finish', id: 2, params, meta: {}, attempt: 2, state: 'complete', value: 0.25, durationMs: 7, time: 7000 },
    ]);
  });

  test("a study Optuna wrote is refused for another direction or another param's distribution", () => {
    const python = () => context(replayLines(PYTHON_LINES.slice(0, 11)), 'demo');
    const space = { lr: { kind: 'logUniform', low: 1e-4, high: 1 }, n: { kind: 'intUniform', low: 1, high: 4 }, m: { kind: 'intLogUniform', low: 16, high: 256 }, act: { kind: 'choice', values: ['relu', null, 3, true] } } as const;
    const fits = { ...header, space: space as unknown as StudyHeaderEvent['space'] };
    expect(encodeEvent(fits, python()).map((l) => l.op_code)).toEqual([3]);
    const refused = (h: StudyHeaderEvent) => {
      try {
        encodeEvent(h, python());
      } catch (e) {
        return e instanceof NnkitError ? `${e.code}: ${e.message}` : String(e);
      }
      return 'accepted';
    };
    expect(refused({ ...fits, direction: 'minimize' })).toMatch(/^STORAGE_MISMATCH: Optuna study 'demo' is to maximize; this search would minimize/);
    expect(refused({ ...fits, space: { ...fits.space, lr: { kind: 'uniform', low: 1e-4, high: 1 } } })).toMatch(/^STORAGE_MISMATCH: .*trial 0 has param 'lr' of .*"log": true.*the space gives .*"log": false/);
    const { m: _m, ...withoutM } = fits.space;
    expect(refused({ ...fits, space: withoutM })).toMatch(/^STORAGE_MISMATCH: .*param 'm', which the space \(lr, n, act\) lacks/);
  });
});
