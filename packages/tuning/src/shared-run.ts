// The study loop on a storage that many processes share (one with `exclusive`). Each trial is
// claimed under the storage's lock (claim.ts decides which), runs here with heartbeats flowing
// from the storage's own thread, and its finish is stored under the lock too, unless another
// process has meanwhile given it up for dead. The loop ends when the whole study has finished: no
// trial left to claim and none running anywhere — a process that finds the study full still waits
// for the other nnkit processes' running trials, because one of them may die and need a retry
// (but not for trials Python's Optuna runs in the same journal: those are never retried).
import { type ClaimContext, type ClaimResult, claimTrial } from './claim';
import { isNode, nodeImport } from './node-import';
import type { createProgress } from './progress';
import type { Direction, Pruner, PruneSnapshot } from './pruner';
import type { Replayed, TrialRecord } from './records';
import type { Sampler, SearchOptions } from './run';
import type { Space } from './space';
import type { StudyEvent, StudyStorage } from './storage';
import { Study } from './study';
import type { Executor, Outcome } from './trial';
import { type FinishEvent, finishEvent, runTrial } from './trial-run';

/**
 * How often a study with nothing to claim looks at the storage again while other processes'
 * trials run (at most the storage's heartbeat interval): it returns as soon as the last of them
 * ends, and a failed one is retried without delay. A look costs a read of what is new.
 */
const WAIT_POLL_MS = 100;


/** A trial that ended here, waiting for its finish to be stored by the next visit. */
interface Ending {
  event: FinishEvent;
  stored: (kept: boolean) => void;
  failed: (error: unknown) => void;
}

/** What {@link runSharedStudy} needs besides the storage. */
export interface SharedRun {
  where: string;
  space: Space;
  fingerprint: string;
  direction: Direction;
  sampler: Sampler;
  seed: number | undefined;
  maxRetries: number;
  concurrency: number;
  pruner: Pruner;
  executor: Executor;
  progress: ReturnType<typeof createProgress>;
  classify: (outcome: Outcome, rec: TrialRecord) => Pick<TrialRecord, 'state' | 'value' | 'error'>;
  onTrialEnd: SearchOptions['onTrialEnd'];
  onWarning: (message: string) => void;
}

// `<hostname>:<pid>#<random>`: the random part tells apart two studies of one process, whose
// claims would otherwise be the very same text (an optimistic storage then could not tell whose
// append landed).
async function ownerName(): Promise<string> {
  const tag = Math.random().toString(36).slice(2, 8);
  if (!isNode()) return `browser#${tag}`;
  const { hostname } = await nodeImport<typeof import('node:os')>('node:os');
  return `${hostname()}:${(globalThis as unknown as { process: NodeJS.Process }).process.pid}#${tag}`;
}

/**
 * Runs this process's share of a shared study.
 *
 * @param storage - a storage with `exclusive` (and usually `heartbeat`)
 * @param run - the study's settings, executor and callbacks
 * @returns the study as stored when it finished, every process's trials included
 * @example
 * const study = await runSharedStudy(redisStorage({ url, study: 'lr' }), run);
 */
export async function runSharedStudy(storage: StudyStorage, run: SharedRun): Promise<Study> {
  const exclusive = storage.exclusive?.bind(storage);
  if (!exclusive) throw new Error('runSharedStudy needs a storage with exclusive()');
  const { where, direction, pruner, executor, onWarning } = run;
  const owner = await ownerName();
  const waitMs = Math.min(storage.heartbeatMs ?? WAIT_POLL_MS, WAIT_POLL_MS);
  const refreshMs = storage.heartbeatMs ?? WAIT_POLL_MS;
  const newSeed = run.seed ?? Math.floor(Math.random() * 2 ** 31);
  const records: TrialRecord[] = [];
  // Trials running here, and those of them that ended and wait for their finish to be stored.
  const local = new Map<number, Promise<void>>();
  const ending: Ending[] = [];
  const started: Promise<void>[] = [];
  let wake = () => {};
  let study: Study | undefined;
  let snapshot: PruneSnapshot | undefined;
  // Running trials no nnkit process claimed, as the last visit saw them.
  let unowned: number[] = [];
  // The first error of a trial's bookkeeping (a storage gone for good) ends the study.
  const failure: { error?: unknown; failed: boolean } = { failed: false };

  let inflight: Promise<void> = Promise.resolve();
  const write = (e: StudyEvent) => {
    const r = storage.append(e);
    if (r instanceof Promise) inflight = inflight.then(() => r);
  };
  const refresh = (r: Replayed) => {
    records.splice(0, records.length, ...r.records);
    snapshot = undefined;
  };
  const base: Omit<ClaimContext, 'local' | 'canRun' | 'now'> = {
    where, space: run.space, fingerprint: run.fingerprint, direction, sampler: run.sampler,
    seed: newSeed, givenSeed: run.seed, maxRetries: run.maxRetries, owner,
  };

  // One visit to the storage under its lock: stores the finishes of the trials that ended here
  // (unless another process has meanwhile given one up for dead: then it stays failed), marks dead
  // processes' trials failed, and claims a trial when `canRun` and a slot is free. A trial costs
  // one visit, its finish riding with the next claim.
  const visit = async (canRun: boolean): Promise<ClaimResult> => {
    await inflight; // a trial's reports are stored before its finish
    const batch = ending.splice(0);
    for (const f of batch) local.delete(f.event.id);
    const here = new Set(local.keys());
    let kept: boolean[] = [];
    try {
      const result = await exclusive((events, stale) => {
        kept = batch.map((f) => !events.some((e) => e.type === 'finish' && e.id === f.event.id));
        const finishes = batch.filter((_, i) => kept[i]).map((f) => f.event);
        const ctx = { ...base, local: here, canRun: canRun && here.size < run.concurrency, now: Date.now() };
        const claimed = claimTrial(finishes.length > 0 ? [...events, ...finishes] : events, stale, ctx);
        return { append: [...finishes, ...claimed.append], result: claimed.result };
      }, onWarning);
      refresh(result.replayed);
      unowned = result.unowned;
      study ??= new Study(direction, run.sampler.name, result.seed, records);
      batch.forEach((f, i) => {
        f.stored(kept[i]);
      });
      return result;
    } catch (e) {
      for (const f of batch) f.failed(e);
      throw e;
    }
  };

  const runOne = async (rec: TrialRecord, restore: unknown): Promise<void> => {
    const stopBeats = storage.heartbeat?.(rec.id) ?? (() => {});
    try {
      const { outcome, durationMs } = await runTrial(executor, rec, restore, {
        snapshot: () => (snapshot ??= pruner.snapshot(records.filter((r) => r.state !== 'running'), direction)),
        write,
      });
      const result = run.classify(outcome, rec);
      const event = finishEvent(rec, result, durationMs);
      const kept = await new Promise<boolean>((stored, failed) => {
        ending.push({ event, stored, failed });
        wake();
      });
      if (!kept) {
        onWarning(`${where}(): trial ${rec.id} ended here after another process had marked it failed (no heartbeat for the grace period); its result is not kept`);
      }
      Object.assign(rec, kept ? result : { state: 'failed', value: Number.NaN }, { durationMs });
    } finally {
      stopBeats();
      local.delete(rec.id);
    }
    if (study) {
      run.progress.update(study);
      run.onTrialEnd?.(rec, study);
    }
  };

  // Waits until a trial here ends (or fails), or `ms` pass.
  const waitAWhile = async (ms: number) => {
    if (ending.length > 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });
    try {
      await Promise.race([woken, ...local.values()]);
    } finally {
      clearTimeout(timer);
      wake = () => {};
    }
  };

  for (;;) {
    if (failure.failed) throw failure.error;
    const free = local.size - ending.length < run.concurrency;
    if (free) {
      const { claim: c } = await visit(true);
      if (c.kind === 'run') {
        const p = runOne(c.record, c.restore);
        p.catch((error) => {
          if (!failure.failed) Object.assign(failure, { failed: true, error });
        });
        local.set(c.record.id, p);
        started.push(p);
        continue;
      }
      if (c.kind === 'done' && local.size === 0) break;
      await waitAWhile(waitMs);
    } else {
      // Every slot busy: look at the storage now and then anyway, so that pruning sees the other
      // processes' finished trials and dead processes' trials are retried without delay.
      await waitAWhile(refreshMs);
      if (ending.length === 0 && local.size >= run.concurrency) await visit(false);
    }
  }
  if (failure.failed) throw failure.error;
  if (unowned.length > 0) {
    const [trials, verb, them] = unowned.length === 1 ? ['trial', 'runs', 'it'] : ['trials', 'run', 'them'];
    onWarning(
      `${where}(): the study ends here while ${trials} ${unowned.join(', ')} still ${verb} without an nnkit owner (Python's Optuna runs ${them}, or its process died); nnkit never retries such trials, so it does not wait for them`,
    );
  }
  await inflight;
  // Let the last trials' bookkeeping (progress, onTrialEnd) run before returning.
  await Promise.allSettled(started);
  return study as Study;
}
