// What TPE proposes after one fixed history of 30 trials (a pruned and a failed one among them),
// compared as distributions with what Optuna 3.1 proposes after the same history: 400 seeds of
// each (test/fixtures/tpe-optuna.json, scripts/tpe-fixtures.py). The generators differ, so single
// draws cannot match; the two samples must pass a two-sample Kolmogorov–Smirnov test at α = 0.001
// per parameter. nnkit's 400 seeds are fixed, so the outcome is the same on every run.
import { describe, expect, it } from 'vitest';
import optuna from '../test/fixtures/tpe-optuna.json';
import { choice, intLogUniform, intUniform, logUniform, oneMinusLogUniform, uniform } from './distributions';
import type { TrialRecord, TrialState } from './records';
import type { Plan } from './run';
import type { Params } from './space';
import { tpeSampler } from './tpe-sampler';

interface HistoryTrial {
  params: Record<string, number | string>;
  state: string;
  value: number;
  intermediate: Record<string, number>;
}
const { history, draws } = optuna.proposals as unknown as { history: HistoryTrial[]; draws: Record<string, (number | string)[]> };
const SEEDS = draws.lr.length;
/** c(α) √((n + m)/(n·m)) with c(0.001) = 1.949 (two-sample Kolmogorov–Smirnov). */
const KS_CRITICAL = 1.949 * Math.sqrt(2 / SEEDS);

const space = {
  lr: logUniform(1e-4, 1),
  layers: intUniform(1, 8),
  units: intLogUniform(16, 512),
  act: choice(['relu', 'tanh', 'gelu']),
  beta: oneMinusLogUniform(0.9, 0.999),
  x: uniform(-1, 2),
};

/** Optuna's trials as nnkit records; Optuna's `one_minus_beta` is 1 − β. */
function records(): TrialRecord[] {
  return history.map((h, id) => {
    const { one_minus_beta, ...rest } = h.params;
    const params: Params = { ...rest, beta: 1 - (one_minus_beta as number) };
    const intermediate = Object.entries(h.intermediate).map(([step, value]) => ({ step: Number(step), value }));
    const value = h.state === 'complete' ? h.value : h.state === 'pruned' ? (intermediate.at(-1)?.value ?? Number.NaN) : Number.NaN;
    return { id, params, value, state: h.state as TrialState, durationMs: 0, intermediate, attempt: 1 };
  });
}

/** max |F₁(x) − F₂(x)| over the pooled values (ties handled: both CDFs step at once). */
function ksStatistic(a: number[], b: number[]): number {
  const xs = [...new Set([...a, ...b])].sort((p, q) => p - q);
  const cdf = (s: number[], x: number) => s.filter((v) => v <= x).length / s.length;
  return Math.max(...xs.map((x) => Math.abs(cdf(a, x) - cdf(b, x))));
}

describe('TPE proposals against Optuna 3.1 after the same 30 trials', () => {
  const sampler = tpeSampler(space, 'minimize', { trials: 1000 });
  const recs = records();
  const ours = Array.from({ length: SEEDS }, (_, seed) => (sampler.plan(recs.length, recs, seed + 1) as Plan).params);
  const theirs = (name: string) => draws[name];

  it.each([
    ['lr', (p: Params) => p.lr as number, theirs('lr') as number[]],
    ['layers', (p: Params) => p.layers as number, theirs('layers') as number[]],
    ['units', (p: Params) => p.units as number, theirs('units') as number[]],
    ['beta (Optuna: 1 − β)', (p: Params) => 1 - (p.beta as number), theirs('one_minus_beta') as number[]],
    ['x', (p: Params) => p.x as number, theirs('x') as number[]],
  ])('%s: the same distribution (Kolmogorov–Smirnov)', (_name, pick, reference) => {
    expect(ksStatistic(ours.map(pick), reference)).toBeLessThan(KS_CRITICAL);
  });

  it('act: the same shares of the three choices', () => {
    for (const c of ['relu', 'tanh', 'gelu']) {
      const mine = ours.filter((p) => p.act === c).length / SEEDS;
      const ref = theirs('act').filter((v) => v === c).length / SEEDS;
      // 3.29 standard errors of a difference of two shares (two-sided α = 0.001).
      const se = Math.sqrt((2 * ref * (1 - ref)) / SEEDS) || 1 / SEEDS;
      expect(Math.abs(mine - ref), c).toBeLessThan(3.29 * se + 1 / SEEDS);
    }
  });
});
