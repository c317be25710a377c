// The handle an objective receives. It is how a babysat ("panda") trial talks to its study:
// report progress, ask whether to stop, save and restore a checkpoint.
import { describeValue } from './describe-value';
import { NnkitError, TrialPruned } from './errors';
import { decideFromSnapshot, type Intermediate, type PruneSnapshot } from './pruner';
import type { Params } from './space';
import type { TrialMeta } from './storage';

/** The handle passed to an objective as its second argument; `P` is the type of its params. */
export interface Trial<P = Params> {
  /** The trial's id in its study. */
  readonly id: number;
  /** The sampled hyperparameters (also the objective's first argument). */
  readonly params: P;
  /** The budget of a successive-halving or hyperband trial (also `params[resource]`); otherwise undefined. */
  readonly resource: number | undefined;
  /** Round, bracket and rung of structured searches. */
  readonly meta: TrialMeta;
  /** What was reported so far. */
  readonly intermediate: readonly Intermediate[];
  /** Records an intermediate value (e.g. the dev loss after an epoch); a repeated step is ignored. */
  report(step: number, value: number): void;
  /** Whether the pruner judges this trial hopeless at its latest reported step. */
  shouldPrune(): boolean;
  /** Stops the trial as pruned (throws `TrialPruned`). */
  prune(): never;
  /** Persists a JSON-serialisable state (e.g. weights and epoch) to resume from after a crash. */
  checkpoint(state: unknown): void;
  /** The last checkpoint of this trial (or, in successive halving, of the same configuration at a lower rung). */
  restore<T = unknown>(): T | undefined;
}

/**
 * An objective: any function of the sampled hyperparameters, returning the value to optimise. The
 * searches type `params` from the space (`ParamsOf<typeof space>`).
 */
export type Objective<P = Params> = (params: P, trial: Trial<P>) => number | Promise<number>;

/** What the study hands an executor for one trial. */
export interface TrialTask {
  id: number;
  params: Params;
  meta: TrialMeta;
  restore: unknown;
  snapshot(): PruneSnapshot;
  onReport(step: number, value: number): void;
  onCheckpoint(data: unknown): void;
}

/** How a trial ended, before the study validates the value. */
export type Outcome = { kind: 'value'; value: unknown } | { kind: 'pruned'; message: string } | { kind: 'error'; message: string };

/**
 * Checks a report's step and value.
 *
 * @param step - an integer ≥ 0
 * @param value - a number (NaN allowed: it makes the trial prunable)
 * @returns nothing; throws `INVALID_ARGUMENT`
 * @example
 * checkReport(3, 0.25);
 */
export function checkReport(step: number, value: number): void {
  if (!Number.isInteger(step) || step < 0) {
    throw new NnkitError('INVALID_ARGUMENT', `trial.report(): step ${step}; expected an integer ≥ 0`);
  }
  if (typeof value !== 'number') {
    throw new NnkitError('INVALID_ARGUMENT', `trial.report(): value ${describeValue(value)} is not a number`);
  }
}

/**
 * Builds the in-process trial handle for a task.
 *
 * @param task - the trial's task
 * @returns the handle given to the objective
 * @example
 * const trial = createTrial(task); await objective(task.params, trial);
 */
export function createTrial(task: TrialTask): Trial {
  const intermediate: Intermediate[] = [];
  let latest = task.restore;
  return {
    id: task.id,
    params: task.params,
    resource: task.meta.resource,
    meta: task.meta,
    intermediate,
    report(step, value) {
      checkReport(step, value);
      if (intermediate.some((r) => r.step === step)) return;
      intermediate.push({ step, value });
      task.onReport(step, value);
    },
    shouldPrune: () => decideFromSnapshot(task.snapshot(), intermediate),
    prune() {
      throw new TrialPruned();
    },
    checkpoint(state) {
      latest = structuredClone(state);
      task.onCheckpoint(latest);
    },
    restore: <T>() => structuredClone(latest) as T | undefined,
  };
}

/** Runs trials; the study never runs more at once than the executor was made for. */
export interface Executor {
  run(task: TrialTask): Promise<Outcome>;
  /** Ends every trial still running with an error outcome (when nothing is left that could settle them); returns how many. */
  abandon?(message: string): number;
  close(): Promise<void>;
}

/**
 * The message of a trial stopped by `trialTimeoutMs`.
 *
 * @param timeoutMs - the limit
 * @returns the message recorded as the trial's error
 * @example
 * timeoutMessage(500); // 'trial exceeded trialTimeoutMs = 500'
 */
export function timeoutMessage(timeoutMs: number): string {
  return `trial exceeded trialTimeoutMs = ${timeoutMs}`;
}

async function settle(objective: Objective, task: TrialTask, trial: Trial): Promise<Outcome> {
  try {
    return { kind: 'value', value: await objective(task.params, trial) };
  } catch (e) {
    const err = e as Error;
    if (err?.name === 'TrialPruned') return { kind: 'pruned', message: err.message };
    return { kind: 'error', message: err instanceof Error ? `${err.name}: ${err.message}` : String(e) };
  }
}

/**
 * Runs the objective in this thread ("panda"); with concurrency > 1 trials interleave at their
 * `await`s, which suits objectives that wait on I/O or on other threads.
 *
 * With `timeoutMs`, a trial whose promise has not settled in time fails with a timeout and the
 * study moves on; the objective cannot be stopped from outside, so it goes on in the background,
 * and what it reports or returns afterwards is ignored. A trial that blocks the thread cannot be
 * cut short either: when it returns after the limit it fails with the same timeout, so a trial
 * is judged by its duration alone, as in a worker.
 *
 * @param objective - the objective function
 * @param timeoutMs - fail a trial running longer than this
 * @returns the executor
 * @example
 * const outcome = await inlineExecutor(objective, 60_000).run(task);
 */
export function inlineExecutor(objective: Objective, timeoutMs?: number): Executor {
  const stops = new Set<(o: Outcome) => void>();
  return {
    async run(task) {
      const trial = createTrial(task);
      let stop!: (o: Outcome) => void;
      const stopped = new Promise<Outcome>((resolve) => (stop = resolve));
      stops.add(stop);
      const timedOut: Outcome = { kind: 'error', message: timeoutMessage(timeoutMs ?? 0) };
      // This timer also keeps Node's event loop alive while an objective's promise is pending.
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop(timedOut), timeoutMs);
      const t0 = performance.now();
      try {
        const outcome = await Promise.race([settle(objective, task, trial), stopped]);
        return timeoutMs !== undefined && performance.now() - t0 > timeoutMs ? timedOut : outcome;
      } finally {
        clearTimeout(timer);
        stops.delete(stop);
      }
    },
    abandon(message) {
      const n = stops.size;
      for (const stop of stops) stop({ kind: 'error', message });
      return n;
    },
    close: async () => {},
  };
}
