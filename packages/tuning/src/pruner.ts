// Early termination by comparison with finished trials at the same step (Optuna's percentile and
// median pruners). A pruner turns the history into a snapshot — a threshold per step — and one pure
// function judges a running trial against it. The same function runs inside workers (its source is
// shipped to them), so a trial is judged the same way in-process and in a worker.
import { checkOptionKeys } from './option-keys';
import { NnkitError } from './errors';

/** Whether lower or higher objective values are better. */
export type Direction = 'minimize' | 'maximize';

/** One intermediate value reported by a trial. */
export interface Intermediate {
  step: number;
  value: number;
}

/** What a pruner needs to see of a finished trial. */
export interface PrunerHistoryEntry {
  state: string;
  intermediate: readonly Intermediate[];
}

/** The pruning thresholds in force for a running trial: step → threshold. */
export interface PruneSnapshot {
  active: boolean;
  direction: Direction;
  warmupSteps: number;
  intervalSteps: number;
  thresholds: Record<number, number>;
}

/** A pruner: builds the snapshot a running trial is judged against. */
export interface Pruner {
  readonly name: string;
  snapshot(history: readonly PrunerHistoryEntry[], direction: Direction): PruneSnapshot;
}

/** Options of {@link percentilePruner} and {@link medianPruner}. */
export interface PercentilePrunerOptions {
  /** Completed trials needed before anything is pruned (default 5). */
  startupTrials?: number;
  /** Steps before which a trial is never pruned (default 0). */
  warmupSteps?: number;
  /** Judge only every `intervalSteps` steps after the warm-up (default 1). */
  intervalSteps?: number;
  /** Completed trials that must have reported a step for it to be judged (default 1). */
  minTrials?: number;
}

/** Every key of {@link PercentilePrunerOptions}, for the unknown-option check. */
const PRUNER_OPTION_KEYS = ['startupTrials', 'warmupSteps', 'intervalSteps', 'minTrials'] as const satisfies readonly (keyof PercentilePrunerOptions)[];

/**
 * Decides whether a trial is pruned: its best value so far is worse than the threshold at its
 * latest step. A NaN report (a diverged run) always prunes. Self-contained on purpose (no outside
 * references): its source runs in workers.
 *
 * @param snap - the thresholds in force
 * @param intermediate - the trial's reports so far, in report order
 * @returns true when the trial should stop
 * @example
 * decideFromSnapshot({ active: true, direction: 'minimize', warmupSteps: 0, intervalSteps: 1, thresholds: { 0: 1 } }, [{ step: 0, value: 2 }]); // true
 */
export function decideFromSnapshot(snap: PruneSnapshot, intermediate: readonly Intermediate[]): boolean {
  if (!snap.active || intermediate.length === 0) return false;
  const step = intermediate[intermediate.length - 1].step;
  if (step < snap.warmupSteps) return false;
  // Judge the first report in each interval after the warm-up (Optuna's rule), so a trial that
  // reports every 3 steps is still judged once per interval of 2 instead of only on multiples.
  const intervalStart = Math.floor((step - snap.warmupSteps) / snap.intervalSteps) * snap.intervalSteps + snap.warmupSteps;
  for (let i = 0; i < intermediate.length - 1; i++) {
    if (intermediate[i].step >= intervalStart && intermediate[i].step !== step) return false;
  }
  const threshold = snap.thresholds[step];
  if (threshold === undefined) return false;
  const maximize = snap.direction === 'maximize';
  let best = maximize ? -Infinity : Infinity;
  // Indexed loops only: a down-levelling bundler would turn for…of into a call to a helper that
  // lives outside this function, and the worker copy has no such helper.
  for (let i = 0; i < intermediate.length; i++) {
    const v = intermediate[i].value;
    if (Number.isNaN(v)) return true;
    best = maximize ? Math.max(best, v) : Math.min(best, v);
  }
  return maximize ? best < threshold : best > threshold;
}

/**
 * The q-th percentile (0–100) with linear interpolation between order statistics — NumPy's
 * default method, which is what Optuna's pruners use.
 *
 * @param values - at least one number
 * @param q - percentile in [0, 100]
 * @returns the percentile
 * @example
 * percentile([1, 2, 3, 4], 50); // 2.5
 */
export function percentile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = ((s.length - 1) * q) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

function checkCount(v: number, name: string, min: number): void {
  if (!Number.isInteger(v) || v < min) {
    throw new NnkitError('INVALID_ARGUMENT', `percentilePruner(): ${name} = ${v}; expected an integer ≥ ${min}`);
  }
}

/**
 * Prunes a trial whose best value so far is worse than the given percentile of the completed
 * trials' values at the same step. For minimisation the threshold is the `q`-th percentile, for
 * maximisation the (100 − q)-th, so a small `q` prunes aggressively in both directions.
 *
 * @param q - percentile in (0, 100]; 50 is the median pruner
 * @param options - start-up, warm-up, interval and minimum-trial settings
 * @returns the pruner
 * @example
 * await randomSearch(space, objective, { trials: 50, pruner: percentilePruner(25) });
 */
export function percentilePruner(q: number, options: PercentilePrunerOptions = {}): Pruner {
  if (!(q > 0 && q <= 100)) {
    throw new NnkitError('INVALID_ARGUMENT', `percentilePruner(): percentile ${q}; expected a number in (0, 100]`);
  }
  checkOptionKeys(options, PRUNER_OPTION_KEYS, 'percentilePruner()');
  const { startupTrials = 5, warmupSteps = 0, intervalSteps = 1, minTrials = 1 } = options;
  checkCount(startupTrials, 'startupTrials', 0);
  checkCount(warmupSteps, 'warmupSteps', 0);
  checkCount(intervalSteps, 'intervalSteps', 1);
  checkCount(minTrials, 'minTrials', 1);
  return {
    name: q === 50 ? 'median' : `percentile(${q})`,
    snapshot(history, direction) {
      const completed = history.filter((t) => t.state === 'complete');
      const byStep = new Map<number, number[]>();
      for (const t of completed) {
        for (const r of t.intermediate) {
          if (Number.isNaN(r.value)) continue;
          const list = byStep.get(r.step) ?? [];
          list.push(r.value);
          byStep.set(r.step, list);
        }
      }
      const thresholds: Record<number, number> = {};
      const p = direction === 'maximize' ? 100 - q : q;
      for (const [step, values] of byStep) {
        if (values.length >= minTrials) thresholds[step] = percentile(values, p);
      }
      return { active: completed.length >= startupTrials, direction, warmupSteps, intervalSteps, thresholds };
    },
  };
}

/**
 * The median pruner: stops a trial whose best intermediate value is worse than the median of the
 * completed trials at the same step — the usual first choice while babysitting trials.
 *
 * @param options - start-up (default 5 trials), warm-up, interval and minimum-trial settings
 * @returns the pruner
 * @example
 * await randomSearch(space, objective, { trials: 50, pruner: medianPruner({ warmupSteps: 2 }) });
 */
export function medianPruner(options: PercentilePrunerOptions = {}): Pruner {
  checkOptionKeys(options, PRUNER_OPTION_KEYS, 'medianPruner()');
  return percentilePruner(50, options);
}

/**
 * The pruner that never prunes (what `pruner: null` means).
 *
 * @returns a pruner whose snapshot is inactive
 * @example
 * await randomSearch(space, objective, { trials: 10, pruner: nopPruner() });
 */
export function nopPruner(): Pruner {
  return {
    name: 'none',
    snapshot: (_h, direction) => ({ active: false, direction, warmupSteps: 0, intervalSteps: 1, thresholds: {} }),
  };
}
