// Parameter importance as a hint: how much of the objective's variance is explained by grouping the
// completed trials by one parameter. The effect size is Kelley's ε² (the correlation ratio η²
// corrected for the number of groups), so a parameter with many distinct values does not look
// important merely because it splits the trials finely. Numeric parameters are grouped into
// quantile bins (rank-based, hence independent of the scale they were searched on).
import type { ParamValue } from './distributions';
import type { TrialRecord } from './records';

/** How much one parameter explains the objective. */
export interface ParamImportance {
  param: string;
  /** ε² in [0, 1]: the share of the objective's variance explained by this parameter. */
  score: number;
  /** `score` divided by the sum of all scores (0 when every score is 0). */
  share: number;
}

/** Options of {@link parameterImportance}. */
export interface ImportanceOptions {
  /** Number of quantile bins for numeric parameters (default: ⌊√n⌋ clamped to [2, 6]). */
  bins?: number;
}

const ABSENT = '\u0000absent';

function groupKeys(values: (ParamValue | undefined)[], bins: number): string[] {
  const numeric = values.filter((v): v is number => typeof v === 'number');
  const distinct = new Set(numeric).size;
  if (numeric.length === 0 || distinct <= bins) {
    return values.map((v) => (v === undefined ? ABSENT : JSON.stringify(v)));
  }
  const sorted = [...numeric].sort((a, b) => a - b);
  // Bin by rank: the i-th smallest of n goes to bin ⌊i·bins/n⌋; equal values share the bin of their first rank.
  const firstRank = new Map<number, number>();
  sorted.forEach((v, i) => {
    if (!firstRank.has(v)) firstRank.set(v, i);
  });
  return values.map((v) =>
    typeof v === 'number' ? `bin${Math.floor((firstRank.get(v)! * bins) / sorted.length)}` : v === undefined ? ABSENT : JSON.stringify(v),
  );
}

/**
 * Kelley's ε² of `y` grouped by `groups`: (SSB − (g − 1)·MSW) / (SST + MSW), clipped at 0.
 *
 * @param y - the objective values
 * @param groups - a group label per value
 * @returns the effect size in [0, 1]
 * @example
 * epsilonSquared([1, 1, 5, 5], ['a', 'a', 'b', 'b']); // 1
 */
export function epsilonSquared(y: readonly number[], groups: readonly string[]): number {
  const n = y.length;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const members = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const list = members.get(g) ?? [];
    list.push(y[i]);
    members.set(g, list);
  });
  const g = members.size;
  if (g < 2) return 0;
  let ssb = 0;
  let ssw = 0;
  for (const list of members.values()) {
    const m = list.reduce((s, v) => s + v, 0) / list.length;
    ssb += list.length * (m - mean) ** 2;
    for (const v of list) ssw += (v - m) ** 2;
  }
  const sst = ssb + ssw;
  if (sst === 0) return 0;
  if (n - g <= 0) return Math.min(1, ssb / sst);
  const msw = ssw / (n - g);
  return Math.max(0, Math.min(1, (ssb - (g - 1) * msw) / (sst + msw)));
}

/**
 * Ranks parameters by how well their value explains the objective over the completed trials.
 * A hint for where to search next, not a causal statement.
 *
 * @param trials - a study's trials (only completed ones with finite values count)
 * @param options - binning of numeric parameters
 * @returns one entry per parameter, most important first
 * @example
 * parameterImportance(study.trials); // [{ param: 'learningRate', score: 0.71, share: 0.83 }, …]
 */
export function parameterImportance(trials: readonly TrialRecord[], options: ImportanceOptions = {}): ParamImportance[] {
  const done = trials.filter((t) => t.state === 'complete' && Number.isFinite(t.value));
  const keys = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  if (done.length < 3) return keys.map((param) => ({ param, score: 0, share: 0 }));
  const bins = options.bins ?? Math.max(2, Math.min(6, Math.floor(Math.sqrt(done.length))));
  const y = done.map((t) => t.value);
  const scores = keys.map((param) => ({
    param,
    score: epsilonSquared(y, groupKeys(done.map((t) => t.params[param]), bins)),
  }));
  const total = scores.reduce((s, x) => s + x.score, 0);
  return scores.map((s) => ({ ...s, share: total > 0 ? s.score / total : 0 })).sort((a, b) => b.score - a.score);
}
