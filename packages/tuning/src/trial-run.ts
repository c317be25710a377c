// One trial through an executor, as both the single-process and the shared run loops do it: the
// trial's handle writes its reports (and checkpoints) as events, and nothing it does after its end
// counts (a trial that timed out may still call its handle).
import { metaOf } from './claim';
import type { PruneSnapshot } from './pruner';
import type { TrialRecord } from './records';
import { encodeNumber, type StudyEvent } from './storage';
import type { Executor, Outcome } from './trial';

/** A trial's finish event. */
export type FinishEvent = Extract<StudyEvent, { type: 'finish' }>;

/** What {@link runTrial} needs besides the trial. */
export interface TrialRunContext {
  /** The pruner's thresholds (rebuilt only when a trial finishes). */
  snapshot(): PruneSnapshot;
  /** Stores an event of the trial. */
  write(event: StudyEvent): void;
  /** Also called with each checkpoint the trial stores. */
  onCheckpoint?(id: number, data: unknown): void;
}

/**
 * Runs `rec` on `executor`; a report of a step already reported changes nothing.
 *
 * @param executor - where the objective runs
 * @param rec - the trial (its intermediate values are appended to)
 * @param restore - the checkpoint it resumes from, if any
 * @param ctx - the pruner snapshot and the event writer
 * @returns how it ended and how long it took
 * @example
 * const { outcome, durationMs } = await runTrial(executor, rec, undefined, { snapshot, write });
 */
export async function runTrial(executor: Executor, rec: TrialRecord, restore: unknown, ctx: TrialRunContext): Promise<{ outcome: Outcome; durationMs: number }> {
  const t0 = performance.now();
  let ended = false;
  const outcome = await executor.run({
    id: rec.id,
    params: rec.params,
    meta: metaOf(rec),
    restore,
    snapshot: ctx.snapshot,
    onReport(step, value) {
      if (ended || rec.intermediate.some((r) => r.step === step)) return;
      rec.intermediate.push({ step, value });
      ctx.write({ type: 'report', id: rec.id, step, value: encodeNumber(value) });
    },
    onCheckpoint(data) {
      if (ended) return;
      ctx.onCheckpoint?.(rec.id, data);
      ctx.write({ type: 'checkpoint', id: rec.id, data });
    },
  });
  ended = true;
  return { outcome, durationMs: performance.now() - t0 };
}

/**
 * The finish event of a trial: a whole record on its own (params, meta and attempt again).
 *
 * @param rec - the trial
 * @param result - its classified outcome
 * @param durationMs - how long it ran
 * @returns the event
 * @example
 * write(finishEvent(rec, classify(outcome, rec), durationMs));
 */
export function finishEvent(rec: TrialRecord, result: Pick<TrialRecord, 'state' | 'value' | 'error'>, durationMs: number): FinishEvent {
  return {
    type: 'finish', id: rec.id, params: rec.params, meta: metaOf(rec), attempt: rec.attempt,
    state: result.state as FinishEvent['state'], value: encodeNumber(result.value), durationMs, error: result.error, time: Date.now(),
  };
}
