// Trial records are derived, never stored: replaying a study's events rebuilds them. A trial that
// started but never finished (the process died) comes back as 'running' and is run again.
import type { Intermediate } from './pruner';
import type { Params } from './space';
import { decodeNumber, type StudyEvent, type StudyHeaderEvent, type TrialMeta } from './storage';

/** Where a trial stands. */
export type TrialState = 'complete' | 'pruned' | 'failed' | 'running';

/** One trial of a study, as `study.trials` lists it; `P` is the type of its params. */
export interface TrialRecord<P = Params> extends TrialMeta {
  /** Sequential from 0; a re-run after a crash keeps its id. */
  id: number;
  params: P;
  /** The objective's value; for a pruned trial its last reported value; NaN when failed or running. */
  value: number;
  state: TrialState;
  durationMs: number;
  /** Values reported with `trial.report(step, value)`, in report order. */
  intermediate: Intermediate[];
  /** Why a failed trial failed. */
  error?: string;
  /** How many times the trial was started (1 unless a crash made it run again). */
  attempt: number;
}

/** What replaying a study's events gives back. */
export interface Replayed {
  header: StudyHeaderEvent | undefined;
  records: TrialRecord[];
  /** Latest checkpoint per trial id. */
  checkpoints: Map<number, unknown>;
}

/**
 * Rebuilds trial records from events. Events for unknown trials, or after a trial finished, are
 * ignored (they can only come from a damaged journal).
 *
 * @param events - a study's events, oldest first
 * @returns header, records sorted by id, and checkpoints
 * @example
 * const { records } = replay(await storage.load(console.warn));
 */
export function replay(events: readonly StudyEvent[]): Replayed {
  let header: StudyHeaderEvent | undefined;
  const byId = new Map<number, TrialRecord>();
  const checkpoints = new Map<number, unknown>();
  for (const e of events) {
    if (e.type === 'study') {
      header ??= e;
      continue;
    }
    if (e.type === 'start') {
      const prev = byId.get(e.id);
      if (prev && prev.state !== 'running') continue;
      byId.set(e.id, {
        id: e.id,
        params: e.params,
        ...e.meta,
        value: Number.NaN,
        state: 'running',
        durationMs: 0,
        intermediate: [],
        attempt: Math.max(e.attempt, (prev?.attempt ?? 0) + 1),
      });
      continue;
    }
    const rec = byId.get(e.id);
    if (rec?.state !== 'running') continue;
    if (e.type === 'report') {
      if (!rec.intermediate.some((r) => r.step === e.step)) rec.intermediate.push({ step: e.step, value: decodeNumber(e.value) });
    } else if (e.type === 'checkpoint') {
      checkpoints.set(e.id, e.data);
    } else {
      rec.state = e.state;
      rec.value = decodeNumber(e.value);
      rec.durationMs = e.durationMs;
      if (e.error !== undefined) rec.error = e.error;
    }
  }
  const records = [...byId.values()].sort((a, b) => a.id - b.id);
  return { header, records, checkpoints };
}
