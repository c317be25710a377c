// nnkit's study events ⇄ Optuna journal operations. The mapping:
// - study header → CREATE_STUDY {study_name, directions} (unless the study exists), then
//   SET_STUDY_SYSTEM_ATTR "nnkit:study" = the header without its direction (space, fingerprint,
//   sampler, seed, time); the direction is Optuna's own;
// - start → one CREATE_TRIAL carrying distributions, params (internal repr) and system attrs, the
//   form Optuna's create_new_trial writes for a template trial, so a trial and its params arrive
//   in one line; nnkit's meta, attempt and own distributions (oneMinusLogUniform) are system
//   attrs "nnkit:meta", "nnkit:attempt", "nnkit:distributions". A re-run of a trial still
//   RUNNING (after a crash) is SET_TRIAL_SYSTEM_ATTR "nnkit:attempt";
// - report → SET_TRIAL_INTERMEDIATE_VALUE; checkpoint → SET_TRIAL_SYSTEM_ATTR "nnkit:checkpoint";
// - finish → SET_TRIAL_SYSTEM_ATTR "nnkit:finish" {durationMs, error}, then SET_TRIAL_STATE_VALUES
//   (COMPLETE with [value]; PRUNED with [last reported value] as Optuna's tell does; FAIL with null).
// nnkit's trial id is the trial's index among its study's trials that are not WAITING (Optuna's
// number when Python enqueued nothing), so a study Optuna wrote continues with the next number.
import { NnkitError } from './errors';
import { distributionJsonValue, needsOwnSpec, type OptunaDistribution, optunaDistribution, toInternal } from './optuna-distributions';
import { optunaDatetime, PyFloat, parseOptunaDatetime, pyJson } from './optuna-json';
import { DirectionCode, type JournalLog, type JournalState, Op, type OptunaStudyState, type OptunaTrialState, TrialStateCode } from './optuna-journal-state';
import type { Params, EntrySpec } from './space';
import { decodeNumber, encodeNumber, type StudyEvent, type StudyHeaderEvent, type TrialMeta } from './storage';

/** The study system attribute holding nnkit's study header. */
export const HEADER_ATTR = 'nnkit:study';

/** The trial system attribute naming the process that claimed a trial in a shared study, `'<host>:<pid>…'`. */
export const OWNER_ATTR = 'nnkit:owner';

/** What encoding an event needs to know besides the journal's state. */
export interface EncodeContext {
  state: JournalState;
  studyName: string;
  workerId: string;
  /** nnkit trial id → Optuna trial_id, for the trials of this study. */
  trialIds: Map<number, number>;
  /** The study's space (from its header), to name each param's distribution. */
  space: Record<string, EntrySpec> | undefined;
}

const STATE_OF = { complete: TrialStateCode.COMPLETE, pruned: TrialStateCode.PRUNED, failed: TrialStateCode.FAIL } as const;

function directionOf(study: OptunaStudyState): 'minimize' | 'maximize' {
  if (study.directions.length !== 1) {
    throw new NnkitError('STORAGE_MISMATCH', `Optuna study '${study.name}' has ${study.directions.length} objectives; nnkit studies have one`);
  }
  const d = study.directions[0];
  if (d === DirectionCode.minimize) return 'minimize';
  if (d === DirectionCode.maximize) return 'maximize';
  throw new NnkitError('STORAGE_MISMATCH', `Optuna study '${study.name}' has direction ${d}; expected 1 (minimize) or 2 (maximize)`);
}

/**
 * The trials of a study that nnkit sees, in number order: all but WAITING ones (enqueued in Python
 * and not started; nnkit leaves them to Optuna).
 *
 * @param state - the replayed journal
 * @param study - one of its studies
 * @returns the trials, index = nnkit trial id
 * @example
 * visibleTrials(state, state.studyByName('nnkit')!).length;
 */
export function visibleTrials(state: JournalState, study: OptunaStudyState): OptunaTrialState[] {
  return study.trialIds.map((id) => state.trials[id]).filter((t) => t.state !== TrialStateCode.WAITING);
}

/** nnkit's description of an Optuna distribution (the nearest nnkit distribution). */
function entryOf(d: OptunaDistribution): EntrySpec {
  const a = d.attributes;
  if (d.name === 'CategoricalDistribution') return { kind: 'choice', values: [...d.attributes.choices] };
  const { low, high, log } = a as { low: number; high: number; log: boolean };
  if (d.name === 'IntDistribution') return { kind: log ? 'intLogUniform' : 'intUniform', low, high };
  return { kind: log ? 'logUniform' : 'uniform', low, high };
}

/**
 * A header describing a study nnkit did not write (for reading it): its direction, the space its
 * trials' distributions make, sampler 'optuna', seed 0, and a fingerprint no nnkit space has.
 */
function describedHeader(state: JournalState, study: OptunaStudyState): StudyHeaderEvent {
  const space: Record<string, EntrySpec> = {};
  for (const t of visibleTrials(state, study)) {
    const own = (t.systemAttrs['nnkit:distributions'] ?? {}) as Record<string, EntrySpec>;
    for (const [k, d] of Object.entries(t.distributions)) space[k] ??= own[k] ?? entryOf(d);
  }
  return { type: 'study', version: 1, fingerprint: 'optuna', space, direction: directionOf(study), sampler: 'optuna', seed: 0, time: 0 };
}

/**
 * nnkit's events for one study of the journal: the header (when nnkit wrote one, or, with
 * `describe`, one describing a study Python wrote), then per trial its start, reports in step
 * order, last checkpoint and finish.
 *
 * @param state - the replayed journal
 * @param study - the study to read
 * @param describe - give a study without an nnkit header a descriptive one (for reading only:
 *   its fingerprint matches no space, so no search resumes over it)
 * @returns the events, and nnkit trial id → Optuna trial_id
 * @example
 * const { events } = studyEvents(state, state.studyByName('demo')!);
 */
export function studyEvents(state: JournalState, study: OptunaStudyState, describe = false): { events: StudyEvent[]; trialIds: Map<number, number> } {
  const direction = directionOf(study);
  const events: StudyEvent[] = [];
  const stored = study.systemAttrs[HEADER_ATTR] as Omit<StudyHeaderEvent, 'type' | 'direction'> | undefined;
  if (stored) events.push({ ...stored, type: 'study', direction, version: 1 } as StudyHeaderEvent);
  else if (describe) events.push(describedHeader(state, study));
  const trialIds = new Map<number, number>();
  visibleTrials(state, study).forEach((t, id) => {
    trialIds.set(id, t.trialId);
    const attrs = t.systemAttrs;
    const meta = (attrs['nnkit:meta'] as TrialMeta | undefined) ?? {};
    const attempt = Number.isInteger(attrs['nnkit:attempt']) ? (attrs['nnkit:attempt'] as number) : 1;
    const params: Params = { ...t.params };
    const start = parseOptunaDatetime(t.datetimeStart);
    const owner = typeof attrs[OWNER_ATTR] === 'string' ? { owner: attrs[OWNER_ATTR] } : {};
    events.push({ type: 'start', id, params, meta, attempt, time: Number.isNaN(start) ? 0 : start, ...owner });
    for (const step of [...t.intermediate.keys()].sort((a, b) => a - b)) {
      events.push({ type: 'report', id, step, value: encodeNumber(t.intermediate.get(step) as number) });
    }
    if ('nnkit:checkpoint' in attrs) events.push({ type: 'checkpoint', id, data: attrs['nnkit:checkpoint'] });
    if (t.state === TrialStateCode.RUNNING) return;
    const finish = (attrs['nnkit:finish'] ?? {}) as { durationMs?: number; error?: string };
    const end = parseOptunaDatetime(t.datetimeComplete);
    // Python's trials: from the datetimes, which hold whole microseconds.
    const durationMs = typeof finish.durationMs === 'number' ? finish.durationMs : Number.isNaN(end - start) ? 0 : Math.round((end - start) * 1000) / 1000;
    const state = t.state === TrialStateCode.COMPLETE ? 'complete' : t.state === TrialStateCode.PRUNED ? 'pruned' : 'failed';
    const value = state === 'failed' ? Number.NaN : (t.values?.[0] ?? Number.NaN);
    const error = finish.error ?? (typeof attrs.fail_reason === 'string' ? attrs.fail_reason : undefined);
    events.push({ type: 'finish', id, params, meta, attempt, state, value: encodeNumber(value), durationMs, ...(error === undefined ? {} : { error }), time: Number.isNaN(end) ? 0 : end });
  });
  return { events, trialIds };
}

function log(ctx: EncodeContext, op: number, fields: Record<string, unknown>): JournalLog {
  return { op_code: op, worker_id: ctx.workerId, ...fields };
}

function specOf(ctx: EncodeContext, key: string): EntrySpec {
  const spec = ctx.space?.[key];
  if (!spec) {
    throw new NnkitError('INVALID_ARGUMENT', `param '${key}' is not in the study's space (${Object.keys(ctx.space ?? {}).join(', ') || 'no header yet'}); the header event comes first`);
  }
  return spec;
}

/** The CREATE_TRIAL of a trial with its params, as Optuna's create_new_trial writes a template. */
function createTrial(ctx: EncodeContext, studyId: number, params: Params, meta: TrialMeta, attempt: number, startMs: number, owner: unknown, end?: { state: number; values: PyFloat[] | null; ms: number; finish: object }): JournalLog {
  const distributions: Record<string, string> = {};
  const internal: Record<string, unknown> = {};
  const own: Record<string, EntrySpec> = {};
  for (const [k, v] of Object.entries(params)) {
    const spec = specOf(ctx, k);
    const d = optunaDistribution(spec);
    distributions[k] = pyJson(distributionJsonValue(d));
    internal[k] = toInternal(d, v);
    if (needsOwnSpec(spec)) own[k] = spec.kind === 'when' ? spec.entry : spec;
  }
  const systemAttrs: Record<string, unknown> = {};
  if (Object.keys(meta).length > 0) systemAttrs['nnkit:meta'] = meta;
  if (attempt > 1) systemAttrs['nnkit:attempt'] = attempt;
  if (Object.keys(own).length > 0) systemAttrs['nnkit:distributions'] = own;
  if (typeof owner === 'string') systemAttrs[OWNER_ATTR] = owner;
  if (end) systemAttrs['nnkit:finish'] = end.finish;
  const value = end?.values?.[0] ?? null;
  return log(ctx, Op.CREATE_TRIAL, {
    study_id: studyId,
    datetime_start: optunaDatetime(startMs),
    state: end?.state ?? TrialStateCode.RUNNING,
    value,
    values: null,
    ...(end ? { datetime_complete: optunaDatetime(end.ms) } : {}),
    distributions,
    params: internal,
    user_attrs: {},
    system_attrs: systemAttrs,
    intermediate_values: {},
  });
}

function endOf(e: Extract<StudyEvent, { type: 'finish' }>): { state: number; values: PyFloat[] | null; ms: number; finish: object } {
  const v = decodeNumber(e.value);
  const values = e.state === 'failed' || Number.isNaN(v) ? null : [new PyFloat(v)];
  const finish = { durationMs: e.durationMs, ...(e.error === undefined ? {} : { error: e.error }) };
  return { state: STATE_OF[e.state], values, ms: e.time, finish };
}

/**
 * The operations that store one nnkit event (several for a finish; none for a second header
 * identical in effect). Trials created here are entered into `ctx.trialIds` with the trial_id
 * Optuna will give them, which holds while the journal is locked from this call to the write.
 *
 * @param event - the event
 * @param ctx - the journal's state (synced under the lock), study name, worker id, id map, space
 * @returns the operations, in the order to write them
 * @example
 * const logs = encodeEvent({ type: 'report', id: 0, step: 1, value: 0.5 }, ctx);
 */
export function encodeEvent(event: StudyEvent, ctx: EncodeContext): JournalLog[] {
  const study = ctx.state.studyByName(ctx.studyName);
  if (event.type === 'study') {
    const { type: _t, direction, ...rest } = event;
    const out: JournalLog[] = [];
    let studyId = study?.studyId;
    if (study === undefined) {
      studyId = ctx.state.nextStudyId;
      out.push(log(ctx, Op.CREATE_STUDY, { study_name: ctx.studyName, directions: [DirectionCode[direction]] }));
    } else {
      checkForeignStudy(ctx.state, study, event);
    }
    ctx.space = event.space;
    out.push(log(ctx, Op.SET_STUDY_SYSTEM_ATTR, { study_id: studyId, system_attr: { [HEADER_ATTR]: rest } }));
    return out;
  }
  if (!study) throw new NnkitError('INVALID_ARGUMENT', `study '${ctx.studyName}' has no header in the journal yet; the header event comes first`);
  const trialId = ctx.trialIds.get(event.id);
  const trial = trialId === undefined ? undefined : ctx.state.trials[trialId];
  const running = trial !== undefined && trial.state === TrialStateCode.RUNNING;
  const newTrial = (e: JournalLog) => {
    ctx.trialIds.set(event.id, ctx.state.trials.length);
    return [e];
  };
  switch (event.type) {
    case 'start':
      if (running) return [log(ctx, Op.SET_TRIAL_SYSTEM_ATTR, { trial_id: trialId, system_attr: { 'nnkit:attempt': event.attempt } })];
      // `owner` names the claiming process in a shared study (a field newer than this file's StudyEvent).
      return newTrial(createTrial(ctx, study.studyId, event.params, event.meta, event.attempt, event.time, (event as { owner?: unknown }).owner));
    case 'report':
      if (!running) return [];
      return [log(ctx, Op.SET_TRIAL_INTERMEDIATE_VALUE, { trial_id: trialId, step: event.step, intermediate_value: new PyFloat(decodeNumber(event.value)) })];
    case 'checkpoint':
      if (!running) return [];
      // As JSON.stringify stores a checkpoint in nnkit's own journal (toJSON, undefined dropped).
      return [log(ctx, Op.SET_TRIAL_SYSTEM_ATTR, { trial_id: trialId, system_attr: { 'nnkit:checkpoint': JSON.parse(JSON.stringify(event.data) ?? 'null') } })];
    case 'finish': {
      const end = endOf(event);
      if (!running) {
        if (event.params === undefined) return [];
        return newTrial(createTrial(ctx, study.studyId, event.params, event.meta ?? {}, event.attempt ?? 1, event.time - event.durationMs, undefined, end));
      }
      return [
        log(ctx, Op.SET_TRIAL_SYSTEM_ATTR, { trial_id: trialId, system_attr: { 'nnkit:finish': end.finish } }),
        log(ctx, Op.SET_TRIAL_STATE_VALUES, { trial_id: trialId, state: end.state, values: end.values, datetime_complete: optunaDatetime(end.ms) }),
      ];
    }
  }
}

/**
 * Refuses to put an nnkit header on an existing study it does not fit: another direction, or a
 * trial with a param outside the space or with another distribution (STORAGE_MISMATCH).
 */
function checkForeignStudy(state: JournalState, study: OptunaStudyState, header: StudyHeaderEvent): void {
  const direction = directionOf(study);
  if (direction !== header.direction) {
    throw new NnkitError('STORAGE_MISMATCH', `Optuna study '${study.name}' is to ${direction}; this search would ${header.direction}`);
  }
  for (const t of visibleTrials(state, study)) {
    for (const [k, d] of Object.entries(t.distributions)) {
      const spec = header.space[k];
      if (!spec) {
        throw new NnkitError('STORAGE_MISMATCH', `Optuna study '${study.name}' trial ${t.number} has param '${k}', which the space (${Object.keys(header.space).join(', ')}) lacks; use the study's space or another study name`);
      }
      const mine = pyJson(distributionJsonValue(optunaDistribution(spec)));
      const theirs = pyJson(distributionJsonValue(d));
      if (mine !== theirs) {
        throw new NnkitError('STORAGE_MISMATCH', `Optuna study '${study.name}' trial ${t.number} has param '${k}' of ${theirs}; the space gives ${mine}`);
      }
    }
  }
}
