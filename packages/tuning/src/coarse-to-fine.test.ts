import { describe, expect, it } from 'vitest';
import { intUniform, logUniform, oneMinusLogUniform, uniform } from './distributions';
import { coarseToFine, nextRanges } from './coarse-to-fine';
import type { TrialRecord } from './records';

const rec = (id: number, value: number, params: Record<string, number>): TrialRecord => ({
  id,
  params,
  value,
  state: 'complete',
  durationMs: 0,
  intermediate: [],
  attempt: 1,
});

describe('nextRanges', () => {
  it('pads the hull of the best trials on each own scale (hand-computed)', () => {
    const space = { x: uniform(0, 1), lr: logUniform(1e-4, 1), beta: oneMinusLogUniform(0.9, 0.999), n: intUniform(1, 10) };
    const prev = { x: [0, 1], lr: [1e-4, 1], beta: [0.9, 0.999], n: [1, 10] } as Record<string, [number, number]>;
    const trials = [
      rec(0, 1, { x: 0.4, lr: 1e-3, beta: 0.99, n: 4 }),
      rec(1, 2, { x: 0.5, lr: 1e-2, beta: 0.995, n: 6 }),
      rec(2, 9, { x: 0.9, lr: 0.5, beta: 0.91, n: 10 }), // not among the best two
    ];
    const r = nextRanges(space, prev, trials, 'minimize', 2, 0.1);
    // x: hull [0.4, 0.5] ± 0.1·1.
    expect(r.x[0]).toBeCloseTo(0.3, 12);
    expect(r.x[1]).toBeCloseTo(0.6, 12);
    // lr: log10 hull [−3, −2] ± 0.1·4 → [10^−3.4, 10^−1.6].
    expect(r.lr[0]).toBeCloseTo(10 ** -3.4, 12);
    expect(r.lr[1]).toBeCloseTo(10 ** -1.6, 12);
    // β: log10(1 − β) hull [log10 0.005, −2] ± 0.1·2 → β in [1 − 10^−1.8, 1 − 10^(log10 0.005 − 0.2)].
    expect(r.beta[0]).toBeCloseTo(1 - 10 ** -1.8, 12);
    expect(r.beta[1]).toBeCloseTo(1 - 0.005 * 10 ** -0.2, 12);
    // n: hull [4, 6] ± 0.9 → [3.1, 6.9], rounded outwards.
    expect(r.n).toEqual([3, 7]);
    // Maximising keeps the other end.
    expect(nextRanges(space, prev, trials, 'maximize', 1, 0).x).toEqual([0.9, 0.9]);
  });

  it('clips to the previous range', () => {
    const r = nextRanges({ x: uniform(0, 1) }, { x: [0.2, 0.4] }, [rec(0, 0, { x: 0.21 })], 'minimize', 1, 0.5);
    expect(r.x[0]).toBe(0.2);
    expect(r.x[1]).toBeCloseTo(0.31, 12);
  });
});

describe('coarseToFine', () => {
  it('shrinks each range around the optimum of a known function', async () => {
    // Optimum at lr = 10^−2.5, x = 0.3.
    const f = (p: Record<string, unknown>) => (Math.log10(p.lr as number) + 2.5) ** 2 + 4 * ((p.x as number) - 0.3) ** 2;
    const space = { lr: logUniform(1e-5, 1), x: uniform(0, 1) };
    const study = await coarseToFine(space, f, { rounds: 4, trialsPerRound: 20, keep: 4, seed: 3, progress: false });
    expect(study.trials).toHaveLength(80);
    expect(study.ranges).toHaveLength(4);
    const width = (r: [number, number], log: boolean) => (log ? Math.log10(r[1]) - Math.log10(r[0]) : r[1] - r[0]);
    for (let r = 1; r < 4; r++) {
      const [prev, cur] = [study.ranges[r - 1], study.ranges[r]];
      for (const k of ['lr', 'x'] as const) {
        expect(cur[k][0]).toBeGreaterThanOrEqual(prev[k][0]);
        expect(cur[k][1]).toBeLessThanOrEqual(prev[k][1]);
        expect(width(cur[k], k === 'lr')).toBeLessThan(width(prev[k], k === 'lr'));
      }
      expect(study.ranges[r].lr[0]).toBeLessThan(10 ** -2.5);
      expect(study.ranges[r].lr[1]).toBeGreaterThan(10 ** -2.5);
      expect(study.ranges[r].x[0]).toBeLessThan(0.3);
      expect(study.ranges[r].x[1]).toBeGreaterThan(0.3);
      for (const t of study.trials.filter((t) => t.round === r)) {
        expect(t.params.lr).toBeGreaterThanOrEqual(cur.lr[0]);
        expect(t.params.lr).toBeLessThanOrEqual(cur.lr[1]);
      }
    }
    expect(width(study.ranges[3].lr, true)).toBeLessThan(0.25 * 5);
    const bestOf = (round: number) => Math.min(...study.trials.filter((t) => t.round === round).map((t) => t.value));
    expect(bestOf(3)).toBeLessThan(bestOf(0));
    expect(study.best.round).toBeGreaterThan(0);
  });

  it('gives the same study at concurrency 1 and 4 (rounds wait for each other)', async () => {
    const f = async (p: Record<string, unknown>) => {
      await new Promise((r) => setTimeout(r, (p.x as number) * 3));
      return ((p.x as number) - 0.7) ** 2;
    };
    const opts = { rounds: 3, trialsPerRound: 8, keep: 2, seed: 11, progress: false };
    const a = await coarseToFine({ x: uniform(0, 1) }, f, opts);
    const b = await coarseToFine({ x: uniform(0, 1) }, f, { ...opts, concurrency: 4 });
    expect(b.trials.map((t) => t.params)).toEqual(a.trials.map((t) => t.params));
    expect(b.ranges).toEqual(a.ranges);
  });

  it('refuses bad rounds, keep and margin', async () => {
    const f = () => 0;
    await expect(coarseToFine({ x: uniform(0, 1) }, f, { rounds: 0 })).rejects.toThrowError('coarseToFine(): rounds = 0; expected an integer ≥ 1');
    await expect(coarseToFine({ x: uniform(0, 1) }, f, { keep: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(coarseToFine({ x: uniform(0, 1) }, f, { margin: 2 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
