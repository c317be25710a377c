// Optuna's journal replayed as Optuna 3.1 replays it (JournalStorageReplayResult in
// optuna/storages/_journal/storage.py): every line is one operation of one worker; studies get
// ids 0, 1, … in creation order, trials get a trial_id global to the file (the count of trials
// created before it) and a number within their study; operations on a finished trial, on a
// missing trial or study, and a second study of the same name are ignored.
import { NnkitError } from './errors';
import { type OptunaDistribution, parseOptunaDistribution, sameDistribution, toExternal } from './optuna-distributions';
import type { ParamValue } from './distributions';

/** Optuna's `JournalOperation` op codes. */
export const Op = {
  CREATE_STUDY: 0,
  DELETE_STUDY: 1,
  SET_STUDY_USER_ATTR: 2,
  SET_STUDY_SYSTEM_ATTR: 3,
  CREATE_TRIAL: 4,
  SET_TRIAL_PARAM: 5,
  SET_TRIAL_STATE_VALUES: 6,
  SET_TRIAL_INTERMEDIATE_VALUE: 7,
  SET_TRIAL_USER_ATTR: 8,
  SET_TRIAL_SYSTEM_ATTR: 9,
} as const;

/** Optuna's `TrialState`. */
export const TrialStateCode = { RUNNING: 0, COMPLETE: 1, PRUNED: 2, FAIL: 3, WAITING: 4 } as const;

/** Optuna's `StudyDirection` (NOT_SET = 0). */
export const DirectionCode = { minimize: 1, maximize: 2 } as const;

/** One journal line, parsed. */
export type JournalLog = Record<string, unknown> & { op_code: number; worker_id: string };

/** A study as the replay holds it. */
export interface OptunaStudyState {
  studyId: number;
  name: string;
  directions: number[];
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
  /** trial_ids of the study's trials; a trial's index here is its number. */
  trialIds: number[];
}

/** A trial as the replay holds it. */
export interface OptunaTrialState {
  trialId: number;
  number: number;
  studyId: number;
  state: number;
  params: Record<string, ParamValue>;
  distributions: Record<string, OptunaDistribution>;
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
  values: number[] | null;
  intermediate: Map<number, number>;
  datetimeStart: string | null;
  datetimeComplete: string | null;
}

const FINISHED = new Set<number>([TrialStateCode.COMPLETE, TrialStateCode.PRUNED, TrialStateCode.FAIL]);

/**
 * Tells whether a parsed line is a journal operation; names what is wrong when it is not.
 *
 * @param x - a parsed line
 * @returns undefined when it is an operation, else why not
 * @example
 * whyNotLog({ op_code: 0, worker_id: 'w', study_name: 's', directions: [1] }); // undefined
 */
export function whyNotLog(x: unknown): string | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'not a JSON object';
  const o = x as Record<string, unknown>;
  if (!Number.isInteger(o.op_code) || (o.op_code as number) < 0 || (o.op_code as number) > 9) return `op_code ${JSON.stringify(o.op_code)} is not one of Optuna's 0…9`;
  if (typeof o.worker_id !== 'string') return 'no worker_id';
  const has = (...keys: string[]) => keys.find((k) => !(k in o));
  const missing =
    o.op_code === Op.CREATE_STUDY ? has('study_name', 'directions')
    : o.op_code === Op.DELETE_STUDY ? has('study_id')
    : o.op_code === Op.SET_STUDY_USER_ATTR ? has('study_id', 'user_attr')
    : o.op_code === Op.SET_STUDY_SYSTEM_ATTR ? has('study_id', 'system_attr')
    : o.op_code === Op.CREATE_TRIAL ? has('study_id', 'datetime_start')
    : o.op_code === Op.SET_TRIAL_PARAM ? has('trial_id', 'param_name', 'param_value_internal', 'distribution')
    : o.op_code === Op.SET_TRIAL_STATE_VALUES ? has('trial_id', 'state', 'values')
    : o.op_code === Op.SET_TRIAL_INTERMEDIATE_VALUE ? has('trial_id', 'step', 'intermediate_value')
    : o.op_code === Op.SET_TRIAL_USER_ATTR ? has('trial_id', 'user_attr')
    : has('trial_id', 'system_attr');
  return missing === undefined ? undefined : `op_code ${o.op_code} without "${missing}"`;
}

/** The replayed content of a journal; feed it lines in file order with {@link JournalState.apply}. */
export class JournalState {
  readonly studies = new Map<number, OptunaStudyState>();
  readonly trials: OptunaTrialState[] = [];
  nextStudyId = 0;

  /** The study of a name, if it exists. */
  studyByName(name: string): OptunaStudyState | undefined {
    for (const s of this.studies.values()) if (s.name === name) return s;
    return undefined;
  }

  /** Applies one operation as Optuna does; throws STORAGE_MISMATCH for a record Optuna could not apply. */
  apply(log: JournalLog): void {
    const o = log as Record<string, unknown>;
    switch (log.op_code) {
      case Op.CREATE_STUDY: {
        const name = String(o.study_name);
        if (this.studyByName(name)) return;
        const directions = (o.directions as unknown[]).map(Number);
        const studyId = this.nextStudyId++;
        this.studies.set(studyId, { studyId, name, directions, userAttrs: {}, systemAttrs: {}, trialIds: [] });
        return;
      }
      case Op.DELETE_STUDY:
        this.studies.delete(o.study_id as number);
        return;
      case Op.SET_STUDY_USER_ATTR:
      case Op.SET_STUDY_SYSTEM_ATTR: {
        const s = this.studies.get(o.study_id as number);
        if (!s) return;
        if (log.op_code === Op.SET_STUDY_USER_ATTR) Object.assign(s.userAttrs, o.user_attr);
        else Object.assign(s.systemAttrs, o.system_attr);
        return;
      }
      case Op.CREATE_TRIAL:
        this.#createTrial(o);
        return;
    }
    const t = this.trials[o.trial_id as number];
    if (!t || FINISHED.has(t.state)) return;
    switch (log.op_code) {
      case Op.SET_TRIAL_PARAM: {
        const d = parseOptunaDistribution(o.distribution);
        const name = String(o.param_name);
        // Optuna ignores a param whose distribution is of another kind (or other choices) than the
        // first of its study's trials that has the param.
        for (const id of this.studies.get(t.studyId)?.trialIds ?? []) {
          const prev = this.trials[id].distributions[name];
          if (!prev) continue;
          const compatible = prev.name === d.name && (d.name !== 'CategoricalDistribution' || sameDistribution(prev, d));
          if (!compatible) return;
          break;
        }
        t.params[name] = toExternal(d, o.param_value_internal);
        t.distributions[name] = d;
        return;
      }
      case Op.SET_TRIAL_STATE_VALUES: {
        const state = Number(o.state);
        if (state === TrialStateCode.RUNNING && t.state === TrialStateCode.RUNNING) return;
        if (state === TrialStateCode.RUNNING) t.datetimeStart = (o.datetime_start as string) ?? t.datetimeStart;
        if (FINISHED.has(state)) t.datetimeComplete = (o.datetime_complete as string) ?? null;
        t.state = state;
        if (o.values !== null) t.values = o.values as number[];
        return;
      }
      case Op.SET_TRIAL_INTERMEDIATE_VALUE:
        t.intermediate.set(Number(o.step), o.intermediate_value as number);
        return;
      case Op.SET_TRIAL_USER_ATTR:
        Object.assign(t.userAttrs, o.user_attr);
        return;
      case Op.SET_TRIAL_SYSTEM_ATTR:
        Object.assign(t.systemAttrs, o.system_attr);
        return;
    }
  }

  #createTrial(o: Record<string, unknown>): void {
    const study = this.studies.get(o.study_id as number);
    if (!study) return;
    const trialId = this.trials.length;
    const distributions: Record<string, OptunaDistribution> = {};
    for (const [k, v] of Object.entries((o.distributions as Record<string, unknown>) ?? {})) distributions[k] = parseOptunaDistribution(v);
    const params: Record<string, ParamValue> = {};
    for (const [k, v] of Object.entries((o.params as Record<string, unknown>) ?? {})) {
      const d = distributions[k];
      if (!d) throw new NnkitError('STORAGE_MISMATCH', `a CREATE_TRIAL record has param '${k}' without its distribution`);
      params[k] = toExternal(d, v);
    }
    const intermediate = new Map<number, number>();
    for (const [k, v] of Object.entries((o.intermediate_values as Record<string, number>) ?? {})) intermediate.set(Number(k), v);
    const values = (o.values as number[] | null | undefined) ?? (typeof o.value === 'number' ? [o.value] : null);
    this.trials.push({
      trialId,
      number: study.trialIds.length,
      studyId: study.studyId,
      state: typeof o.state === 'number' ? o.state : TrialStateCode.RUNNING,
      params,
      distributions,
      userAttrs: { ...((o.user_attrs as object) ?? {}) },
      systemAttrs: { ...((o.system_attrs as object) ?? {}) },
      values,
      intermediate,
      datetimeStart: (o.datetime_start as string | null) ?? null,
      datetimeComplete: (o.datetime_complete as string | undefined) ?? null,
    });
    study.trialIds.push(trialId);
  }
}
