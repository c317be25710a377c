import { describe, expect, it } from 'vitest';
import { uniform } from './distributions';
import { decideFromSnapshot, medianPruner, percentile, percentilePruner } from './pruner';
import { randomSearch } from './random-search';

const steps = (...values: number[]) => values.map((value, step) => ({ step, value }));
// Five completed trials. Medians by hand: step 0 {0.8, 0.9, 1.0, 1.1, 1.2} → 1.0;
// step 1 {0.6, 0.7, 0.75, 0.8, 1.0} → 0.75; step 2 {0.4, 0.5, 0.6, 0.7, 0.9} → 0.6.
const history = [
  { state: 'complete', intermediate: steps(1.0, 0.8, 0.6) },
  { state: 'complete', intermediate: steps(0.9, 0.7, 0.5) },
  { state: 'complete', intermediate: steps(1.2, 1.0, 0.9) },
  { state: 'complete', intermediate: steps(1.1, 0.6, 0.4) },
  { state: 'complete', intermediate: steps(0.8, 0.75, 0.7) },
  // Pruned and failed trials never set thresholds.
  { state: 'pruned', intermediate: steps(0.1, 0.1) },
  { state: 'failed', intermediate: steps(0.0) },
];

describe('median pruner on a hand-made history', () => {
  const snap = medianPruner().snapshot(history, 'minimize');

  it('computes the per-step medians of completed trials only', () => {
    expect(snap.thresholds).toEqual({ 0: 1.0, 1: 0.75, 2: 0.6 });
    expect(snap.active).toBe(true);
  });

  it.each([
    [[1.05], true, 'worse than the step-0 median 1.0'],
    [[0.95], false, 'better than the median'],
    [[1.0], false, 'equal to the median is kept'],
    [[0.95, 0.8], true, 'best so far 0.8 > 0.75'],
    [[0.95, 0.7], false, 'best so far 0.7 < 0.75'],
    [[0.7, 0.9], false, 'the best value so far counts, not the last'],
    [[0.5, 0.5, 0.61], false, 'best 0.5 < 0.6'],
    [[0.9, 0.8, 0.65], true, 'best 0.65 > 0.6'],
    [[Number.NaN], true, 'NaN is always pruned'],
  ])('%j → %s (%s)', (values, expected) => {
    expect(decideFromSnapshot(snap, steps(...(values as number[])))).toBe(expected);
  });

  it('is self-contained, so its source text runs in workers', () => {
    const copy = new Function(`return (${decideFromSnapshot.toString()});`)() as typeof decideFromSnapshot;
    expect(copy(snap, steps(0.95, 0.8))).toBe(true);
    expect(copy(snap, steps(0.95, 0.7))).toBe(false);
  });

  it('does not judge steps no completed trial reached', () => {
    expect(decideFromSnapshot(snap, [{ step: 5, value: 99 }])).toBe(false);
  });

  it('waits for startupTrials and warmupSteps, and judges every intervalSteps', () => {
    expect(medianPruner({ startupTrials: 6 }).snapshot(history, 'minimize').active).toBe(false);
    const warm = medianPruner({ warmupSteps: 2 }).snapshot(history, 'minimize');
    expect(decideFromSnapshot(warm, steps(0.95, 0.8))).toBe(false);
    expect(decideFromSnapshot(warm, steps(0.95, 0.8, 0.65))).toBe(true);
    const every2 = medianPruner({ intervalSteps: 2 }).snapshot(history, 'minimize');
    expect(decideFromSnapshot(every2, steps(0.95, 0.8))).toBe(false);
    expect(decideFromSnapshot(every2, steps(1.05))).toBe(true);
    // Reports at steps 0 and 3: step 3 is the first report in the interval [2, 4), so it is judged
    // (best 0.95 > median 0.6 at step 3, set here by hand).
    const sparse = { ...every2, thresholds: { ...every2.thresholds, 3: 0.6 } };
    expect(decideFromSnapshot(sparse, [{ step: 0, value: 0.95 }, { step: 3, value: 0.95 }])).toBe(true);
    expect(decideFromSnapshot(sparse, [{ step: 0, value: 0.95 }, { step: 2, value: 0.95 }, { step: 3, value: 0.95 }])).toBe(false);
  });

  it('averages the two middle values for an even count (NumPy linear percentile)', () => {
    const four = medianPruner({ startupTrials: 4 }).snapshot(history.slice(0, 4), 'minimize');
    expect(four.thresholds[0]).toBeCloseTo(1.05, 12); // {0.9, 1.0, 1.1, 1.2}
    expect(decideFromSnapshot(four, steps(1.04))).toBe(false);
    expect(decideFromSnapshot(four, steps(1.06))).toBe(true);
    expect(medianPruner({ minTrials: 5 }).snapshot(history.slice(0, 4), 'minimize').thresholds).toEqual({});
  });

  it('flips the percentile for maximisation', () => {
    expect(decideFromSnapshot(medianPruner().snapshot(history, 'maximize'), steps(0.95))).toBe(true);
    // q = 25 while maximising compares with the 75th percentile: position 3 of 5 → 1.1.
    const q25max = percentilePruner(25).snapshot(history, 'maximize');
    expect(q25max.thresholds[0]).toBeCloseTo(1.1, 12);
    expect(decideFromSnapshot(q25max, steps(1.05))).toBe(true);
    expect(decideFromSnapshot(q25max, steps(1.15))).toBe(false);
    // q = 25 while minimising: position 1 of 5 → 0.9.
    const q25min = percentilePruner(25).snapshot(history, 'minimize');
    expect(decideFromSnapshot(q25min, steps(0.95))).toBe(true);
    expect(decideFromSnapshot(q25min, steps(0.85))).toBe(false);
  });

  it('matches hand-computed percentiles and refuses bad settings', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 0, 5], 25)).toBe(2.5);
    expect(() => percentilePruner(0)).toThrowError('percentilePruner(): percentile 0; expected a number in (0, 100]');
    expect(() => medianPruner({ intervalSteps: 0 })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('pruning while babysitting a study', () => {
  it('prunes the trial that falls behind the median, in order', async () => {
    // Trial i reports the constant c_i at steps 0–2. With two start-up trials: trial 2 (2) meets
    // the median of {3, 1} = 2, trial 3 (5) exceeds the median of {3, 1, 2} = 2, trial 4 (0.5) is best.
    const c = [3, 1, 2, 5, 0.5];
    const study = await randomSearch(
      { x: uniform(0, 1) },
      (_p, trial) => {
        for (let s = 0; s < 3; s++) {
          trial.report(s, c[trial.id]);
          if (trial.shouldPrune()) trial.prune();
        }
        return c[trial.id];
      },
      { trials: 5, seed: 1, pruner: medianPruner({ startupTrials: 2 }), progress: false },
    );
    expect(study.trials.map((t) => t.state)).toEqual(['complete', 'complete', 'complete', 'pruned', 'complete']);
    expect(study.trials[3].value).toBe(5);
    expect(study.trials[3].intermediate).toEqual([{ step: 0, value: 5 }]);
    expect(study.best.id).toBe(4);
  });

  it('never prunes with pruner: null', async () => {
    const study = await randomSearch(
      { x: uniform(0, 1) },
      (_p, trial) => {
        trial.report(0, trial.id === 0 ? 0 : 100);
        if (trial.shouldPrune()) trial.prune();
        return trial.id;
      },
      { trials: 8, seed: 1, pruner: null, progress: false },
    );
    expect(study.trials.every((t) => t.state === 'complete')).toBe(true);
  });
});
