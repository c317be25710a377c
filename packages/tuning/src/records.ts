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

/** Names why {@link replay} set aside the event at `index` (a damaged or duplicated record). */
export type SkipReporter = (index: number, why: string) => void;

function running(id: number, params: Params, meta: TrialMeta, attempt: number): TrialRecord {
  return { id, params, ...meta, value: Number.NaN, state: 'running', durationMs: 0, intermediate: [], attempt };
}

/**
 * Rebuilds trial records from events. A trial's record comes from its start event, or from its
 * finish event alone when that names the params (a damaged start line then costs nothing).
 * Events that fit no trial — for a trial that had already finished, or whose start is missing —
 * are set aside and reported to `onSkip`: they can only come from a damaged journal.
 *
 * @param events - a study's events, oldest first
 * @param onSkip - receives the index of each event set aside and why
 * @returns header, records sorted by id, and checkpoints
 * @example
 * const { records } = replay(await storage.load(console.warn));
 */
export function replay(events: readonly StudyEvent[], onSkip: SkipReporter = () => {}): Replayed {
  let header: StudyHeaderEvent | undefined;
  const byId = new Map<number, TrialRecord>();
  const checkpoints = new Map<number, unknown>();
  // Reports and checkpoints of a trial with no start yet: its finish may still name the params.
  const waiting = new Map<number, { index: number; event: Extract<StudyEvent, { type: 'report' | 'checkpoint' }> }[]>();
  const apply = (rec: TrialRecord, e: Extract<StudyEvent, { type: 'report' | 'checkpoint' }>) => {
    if (e.type === 'checkpoint') checkpoints.set(e.id, e.data);
    else if (!rec.intermediate.some((r) => r.step === e.step)) rec.intermediate.push({ step: e.step, value: decodeNumber(e.value) });
  };
  const dropWaiting = (id: number) => {
    for (const w of waiting.get(id) ?? []) onSkip(w.index, `${w.event.type} of trial ${id} has no readable start`);
    waiting.delete(id);
  };
  events.forEach((e, index) => {
    if (e.type === 'study') {
      if (header) onSkip(index, 'a second study header');
      else header = e;
      return;
    }
    const rec = byId.get(e.id);
    if (rec && rec.state !== 'running') {
      onSkip(index, `trial ${e.id} had already finished`);
      return;
    }
    if (e.type === 'start') {
      dropWaiting(e.id);
      byId.set(e.id, running(e.id, e.params, e.meta, Math.max(e.attempt, (rec?.attempt ?? 0) + 1)));
      return;
    }
    if (e.type === 'report' || e.type === 'checkpoint') {
      if (rec) apply(rec, e);
      else waiting.set(e.id, [...(waiting.get(e.id) ?? []), { index, event: e }]);
      return;
    }
    let target = rec;
    if (!target) {
      if (e.params === undefined) {
        dropWaiting(e.id);
        onSkip(index, `trial ${e.id} finished but its start line is missing and this record does not name the params`);
        return;
      }
      target = running(e.id, e.params, e.meta ?? {}, e.attempt ?? 1);
      byId.set(e.id, target);
      for (const w of waiting.get(e.id) ?? []) apply(target, w.event);
      waiting.delete(e.id);
    }
    target.state = e.state;
    target.value = decodeNumber(e.value);
    target.durationMs = e.durationMs;
    if (e.error !== undefined) target.error = e.error;
  });
  for (const id of [...waiting.keys()]) dropWaiting(id);
  const records = [...byId.values()].sort((a, b) => a.id - b.id);
  return { header, records, checkpoints };
}
