// The study loop shared by every search: replay the storage, re-run unfinished trials, then ask the
// sampler for new trials while there is a free slot, recording every step as an event before
// moving on. Samplers are pure functions of the trial records, which is what makes a resumed study
// continue exactly where an uninterrupted one would have been.
import { metaOf, resumeCall } from './claim';
import { describeValue } from './describe-value';
import { NnkitError } from './errors';
import { journalStorage } from './journal-storage';
import { isNode } from './node-import';
import { createProgress } from './progress';
import { type Direction, medianPruner, nopPruner, type Pruner, type PruneSnapshot } from './pruner';
import { replay, type TrialRecord } from './records';
import { runSharedStudy } from './shared-run';
import { describeSpace, type Params, type Space, spaceFingerprint, validateSpace } from './space';
import { memoryStorage, type StudyEvent, type StudyStorage, type TrialMeta } from './storage';
import { Study } from './study';
import { type Executor, inlineExecutor, type Objective, type Outcome } from './trial';
import { finishEvent, runTrial } from './trial-run';
import { resolveModuleUrl, workerExecutor } from './worker-executor';

/** Options every search accepts. */
export interface SearchOptions {
  /** Seed of the sampler (default: the journal's seed when resuming, else a random one, recorded). */
  seed?: number;
  /** 'minimize' (default) or 'maximize'. */
  direction?: Direction;
  /** Trials running at once (default 1). With an objective module, each runs in its own worker. */
  concurrency?: number;
  /** A journal file path (Node), or any {@link StudyStorage}; default in memory. */
  storage?: string | StudyStorage;
  /** Early termination for `trial.shouldPrune()` (default `medianPruner()`; null never prunes). */
  pruner?: Pruner | null;
  /** Show a status line (default: when stderr is a TTY). */
  progress?: boolean;
  /** Called after each trial finishes. */
  onTrialEnd?: (trial: TrialRecord, study: Study) => void;
  /** Receives warnings such as skipped journal lines (default console.warn). */
  onWarning?: (message: string) => void;
  /**
   * A trial running longer than this fails with `trial exceeded trialTimeoutMs = …` and the
   * study goes on. An objective module's worker is terminated; an objective function cannot be
   * stopped from outside, so its trial is left running in the background and what it does later
   * is ignored (and one that blocks the thread fails when it returns, however good its value).
   */
  trialTimeoutMs?: number;
  /**
   * On a storage shared by many processes (`journalFile`, `redisStorage`, `optunaJournal`): how
   * many times the params of a trial whose heartbeats stopped (its process died) are run again, each
   * time as a new trial; the stale trial stays 'failed' (default 3; 0 never retries).
   */
  maxRetries?: number;
}

/** What a sampler proposes for one trial. */
export interface Plan {
  params: Params;
  meta: TrialMeta;
}

/** A search strategy: proposes trial `id` from the records of the trials before it. */
export interface Sampler {
  /** Recorded in the study's storage; a study is resumed only by a sampler of the same name. */
  readonly name: string;
  /** The function messages name (default `name`), when users call it under another name. */
  readonly caller?: string;
  /** Expected number of trials, for progress displays. */
  readonly total?: number;
  /** A plan, 'wait' until running trials finish, or 'done'. */
  plan(id: number, records: readonly TrialRecord[], seed: number): Plan | 'wait' | 'done';
}

/** An objective function, or the path/URL of a module exporting one (runs in workers). */
export type ObjectiveSource<P = Params> = Objective<P> | string | URL;

export function classify(outcome: Outcome, rec: TrialRecord): Pick<TrialRecord, 'state' | 'value' | 'error'> {
  if (outcome.kind === 'pruned') return { state: 'pruned', value: rec.intermediate.at(-1)?.value ?? Number.NaN };
  if (outcome.kind === 'error') return { state: 'failed', value: Number.NaN, error: outcome.message };
  const v = outcome.value;
  if (typeof v === 'number' && !Number.isNaN(v)) return { state: 'complete', value: v };
  const what =
    typeof v === 'number' ? 'NaN' : typeof v === 'object' && v !== null && 'notANumber' in v ? String(v.notANumber) : `${typeof v} ${String(v).slice(0, 60)}`;
  return { state: 'failed', value: Number.NaN, error: `objective returned ${what}; expected a number` };
}


/** Ids below `end` that no record holds (their records were lost to damage), ascending. */
function missingIds(records: readonly TrialRecord[], end: number): number[] {
  const held = new Set(records.map((r) => r.id));
  return Array.from({ length: end }, (_, id) => id).filter((id) => !held.has(id));
}

/**
 * Checks a positive-integer option.
 *
 * @param where - the function name, for the message
 * @param name - the option name
 * @param v - its value
 * @returns nothing; throws `INVALID_ARGUMENT`
 * @example
 * checkPositiveInt(50, 'trials', 'randomSearch');
 */
export function checkPositiveInt(v: unknown, name: string, where: string): void {
  if (!Number.isInteger(v) || (v as number) < 1) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}(): ${name} = ${describeValue(v)}; expected an integer ≥ 1`);
  }
}

/**
 * Runs a study with a sampler. The searches (`randomSearch`, …) are thin wrappers over this.
 *
 * @param space - the search space
 * @param objective - a function, or a module path/URL for worker trials
 * @param sampler - the strategy
 * @param options - see {@link SearchOptions}
 * @returns the finished study
 * @example
 * const study = await runStudy(space, objective, mySampler, { seed: 1 });
 */
export async function runStudy(space: Space, objective: ObjectiveSource, sampler: Sampler, options: SearchOptions = {}): Promise<Study> {
  validateSpace(space);
  const where = sampler.caller ?? sampler.name;
  const { direction = 'minimize', concurrency = 1, onWarning = (m: string) => console.warn(m) } = options;
  if (direction !== 'minimize' && direction !== 'maximize') {
    throw new NnkitError('INVALID_ARGUMENT', `${where}(): direction ${JSON.stringify(direction)}; expected 'minimize' or 'maximize'`);
  }
  checkPositiveInt(concurrency, 'concurrency', where);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}(): seed ${options.seed}; expected an integer`);
  }
  if (typeof objective !== 'function' && typeof objective !== 'string' && !(objective instanceof URL)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}(): objective is ${typeof objective}; expected a function or a module path/URL`);
  }
  if (options.trialTimeoutMs !== undefined && !(options.trialTimeoutMs > 0)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}(): trialTimeoutMs = ${options.trialTimeoutMs}; expected a positive number of milliseconds`);
  }
  const pruner = options.pruner === null ? nopPruner() : (options.pruner ?? medianPruner());
  const storage = typeof options.storage === 'string' ? journalStorage(options.storage) : (options.storage ?? memoryStorage());
  const fingerprint = spaceFingerprint(space);
  const { maxRetries = 3 } = options;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}(): maxRetries = ${describeValue(maxRetries)}; expected an integer ≥ 0`);
  }
  if (options.maxRetries !== undefined && !storage.exclusive) {
    throw new NnkitError(
      'INVALID_ARGUMENT',
      `${where}(): maxRetries = ${options.maxRetries} needs a storage shared by many processes (journalFile(), redisStorage(), optunaJournal()); this storage belongs to one study at a time, which runs a crashed trial again in place`,
    );
  }
  if (storage.exclusive) {
    const executor = typeof objective === 'function' ? inlineExecutor(objective, options.trialTimeoutMs) : workerExecutor(await resolveModuleUrl(objective), concurrency, options.trialTimeoutMs);
    const progress = createProgress(options.progress, sampler.total);
    try {
      return await runSharedStudy(storage, {
        where, space, fingerprint, direction, sampler, seed: options.seed, maxRetries, concurrency, pruner, executor, progress,
        classify, onTrialEnd: options.onTrialEnd, onWarning,
      });
    } finally {
      progress.end();
      await executor.close();
      await storage.close?.();
    }
  }

  const { header, records, checkpoints } = replay(await storage.load(onWarning), (i, why) => onWarning(`${where}(): stored event ${i + 1} skipped: ${why}`));
  // From here on the storage is open (a journal is locked): every way out closes it.
  let executor: Executor | undefined;
  let progress: ReturnType<typeof createProgress> | undefined;
  let stopWatch = () => {};
  try {
    if (header && header.fingerprint !== fingerprint) {
      throw new NnkitError(
        'STORAGE_MISMATCH',
        `${where}(): the storage holds a study of space ${header.fingerprint} (${Object.keys(header.space).join(', ')}) but this space is ${fingerprint} (${Object.keys(space).join(', ')}); use a new journal or the original space`,
      );
    }
    if (header && header.direction !== direction) {
      throw new NnkitError('STORAGE_MISMATCH', `${where}(): the storage holds a study to ${header.direction}; this one would ${direction}`);
    }
    // Trial ids mean different things to different samplers (a rung, a round, a grid point).
    if (header && header.sampler !== sampler.name) {
      throw new NnkitError('STORAGE_MISMATCH', `${where}(): the storage holds a ${header.sampler} study; resume it with ${resumeCall(header.sampler)} or use a new journal`);
    }
    const seed = options.seed ?? header?.seed ?? Math.floor(Math.random() * 2 ** 31);
    const study = new Study(direction, sampler.name, seed, records);

    let inflight: Promise<void> = Promise.resolve();
    const write = (e: StudyEvent) => {
      const r = storage.append(e);
      if (r instanceof Promise) inflight = inflight.then(() => r);
    };
    if (!header) {
      if (records.length > 0) onWarning(`${where}(): the storage has trials but no study header; adopting them`);
      write({ type: 'study', version: 1, fingerprint, space: describeSpace(space), direction, sampler: sampler.name, seed, time: Date.now() });
    }

    executor = typeof objective === 'function' ? inlineExecutor(objective, options.trialTimeoutMs) : workerExecutor(await resolveModuleUrl(objective), concurrency, options.trialTimeoutMs);
    const ex = executor;
    progress = createProgress(options.progress, sampler.total);
    const bar = progress;
    const rerun = records.filter((r) => r.state === 'running');
    // Ids go on from the highest id of a trial on record; a record lost to damage leaves a gap,
    // which is planned and run again under its own id before any new trial.
    let nextId = records.length > 0 ? records[records.length - 1].id + 1 : 0;
    const gaps = missingIds(records, nextId);
    for (const id of gaps) onWarning(`${where}(): trial ${id} has no readable record in the storage; it runs again`);
    const running = new Map<number, Promise<void>>();
    let snapshot: PruneSnapshot | undefined;

    const restoreFor = (rec: TrialRecord): unknown => {
      if (checkpoints.has(rec.id)) return checkpoints.get(rec.id);
      if (rec.configId === undefined) return undefined;
      for (let i = records.length - 1; i >= 0; i--) {
        const r = records[i];
        if (r.id < rec.id && r.configId === rec.configId && checkpoints.has(r.id)) return checkpoints.get(r.id);
      }
      return undefined;
    };

    const runOne = async (rec: TrialRecord): Promise<void> => {
      const { outcome, durationMs } = await runTrial(ex, rec, restoreFor(rec), {
        // Thresholds change only when a trial finishes; rebuilding them per shouldPrune() call would
        // cost O(trials × steps) each time.
        snapshot: () => (snapshot ??= pruner.snapshot(records.filter((r) => r.state !== 'running'), direction)),
        write,
        onCheckpoint: (id, data) => checkpoints.set(id, data),
      });
      const result = classify(outcome, rec);
      write(finishEvent(rec, result, durationMs));
      await inflight;
      Object.assign(rec, result, { durationMs });
      snapshot = undefined;
      running.delete(rec.id);
      bar.update(study);
      options.onTrialEnd?.(rec, study);
    };

    // A pending objective promise that nothing can settle any more (no timer, I/O or worker left)
    // would let Node exit in silence with code 13 in the middle of the study: fail those trials.
    stopWatch = watchEventLoop(() => {
      const n = ex.abandon?.('objective never settled: its promise was still pending when Node had nothing left to run (a promise never resolved?)') ?? 0;
      if (n > 0) onWarning(`${where}(): an objective's promise can never settle (nothing is left for Node to run); its trial fails`);
    });

    for (;;) {
      while (running.size < concurrency) {
        let rec = rerun.shift();
        if (rec) {
          rec.attempt += 1;
          rec.intermediate = [];
        } else if (gaps.length > 0) {
          const plan = sampler.plan(gaps[0], records, seed);
          if (plan === 'wait') break;
          const id = gaps.shift() as number;
          if (plan === 'done') continue;
          rec = { id, params: plan.params, ...plan.meta, value: Number.NaN, state: 'running', durationMs: 0, intermediate: [], attempt: 1 };
          const at = records.findIndex((r) => r.id > id);
          records.splice(at === -1 ? records.length : at, 0, rec);
        } else {
          const plan = sampler.plan(nextId, records, seed);
          if (plan === 'wait' || plan === 'done') break;
          rec = { id: nextId++, params: plan.params, ...plan.meta, value: Number.NaN, state: 'running', durationMs: 0, intermediate: [], attempt: 1 };
          records.push(rec);
        }
        write({ type: 'start', id: rec.id, params: rec.params, meta: metaOf(rec), attempt: rec.attempt, time: Date.now() });
        const p = runOne(rec);
        p.catch(() => {});
        running.set(rec.id, p);
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
    await inflight;
    return study;
  } finally {
    stopWatch();
    progress?.end();
    await executor?.close();
    await storage.close?.();
  }
}

/**
 * Calls `onIdle` when Node's event loop has nothing left to run while a study waits (Node's
 * `beforeExit`), until the returned function is called. Elsewhere it does nothing.
 */
function watchEventLoop(onIdle: () => void): () => void {
  if (!isNode()) return () => {};
  const proc = (globalThis as unknown as { process: NodeJS.Process }).process;
  proc.on('beforeExit', onIdle);
  return () => proc.off('beforeExit', onIdle);
}

