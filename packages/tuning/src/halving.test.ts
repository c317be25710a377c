import { describe, expect, it } from 'vitest';
import { uniform } from './distributions';
import { halvingSchedule, hyperband, hyperbandSchedule, successiveHalving } from './halving';

describe('schedules', () => {
  it('reproduces hyperband\'s brackets for R = 81, η = 3 (Li et al. 2018, table 1)', () => {
    const table = hyperbandSchedule(1, 81, 3).map((b) => b.rungs.map((r) => [r.n, r.resource]));
    expect(table).toEqual([
      [[81, 1], [27, 3], [9, 9], [3, 27], [1, 81]],
      [[34, 3], [11, 9], [3, 27], [1, 81]],
      [[15, 9], [5, 27], [1, 81]],
      [[8, 27], [2, 81]],
      [[5, 81]],
    ]);
  });

  it('halves by η with budgets ending at max', () => {
    expect(halvingSchedule(27, 1, 27, 3).rungs).toEqual([
      { n: 27, resource: 1 },
      { n: 9, resource: 3 },
      { n: 3, resource: 9 },
      { n: 1, resource: 27 },
    ]);
    // s = ⌊log2(10/1)⌋ = 3 → budgets 10/8, 10/4, 10/2, 10 rounded to integers.
    expect(halvingSchedule(8, 1, 10, 2).rungs.map((r) => r.resource)).toEqual([1, 3, 5, 10]);
    expect(halvingSchedule(8, 0.5, 4, 2).rungs.map((r) => r.resource)).toEqual([0.5, 1, 2, 4]);
  });

  it('refuses bad budgets', () => {
    expect(() => halvingSchedule(9, 9, 3)).toThrowError('successiveHalving(): min 9 ≥ max 3; expected min < max');
    expect(() => hyperbandSchedule(0, 3)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => hyperbandSchedule(1, 9, 1)).toThrowError('hyperband(): eta 1; expected a number > 1');
  });
});

// Lower is better; a bigger budget helps everyone equally, so the ranking is by |x − 0.5|.
const objective = (p: Record<string, unknown>) => ((p.x as number) - 0.5) ** 2 + 1 / (p.epochs as number);

describe('successiveHalving', () => {
  it('promotes the best third of each rung and hands it the checkpoint of its lower rung', async () => {
    const restored: Record<number, unknown> = {};
    const study = await successiveHalving(
      { x: uniform(0, 1) },
      (p, trial) => {
        restored[trial.id] = trial.restore();
        trial.checkpoint({ trained: p.epochs });
        return objective(p);
      },
      { resource: 'epochs', min: 1, max: 9, eta: 3, seed: 4, progress: false },
    );
    const rung = (i: number) => study.trials.filter((t) => t.rung === i);
    expect([0, 1, 2].map((i) => rung(i).length)).toEqual([9, 3, 1]);
    expect([0, 1, 2].map((i) => rung(i)[0].params.epochs)).toEqual([1, 3, 9]);
    const byDistance = [...rung(0)].sort((a, b) => Math.abs((a.params.x as number) - 0.5) - Math.abs((b.params.x as number) - 0.5));
    expect(rung(1).map((t) => t.configId)).toEqual(byDistance.slice(0, 3).map((t) => t.configId));
    expect(rung(2)[0].configId).toBe(byDistance[0].configId);
    expect(rung(2)[0].params.x).toBe(byDistance[0].params.x);
    expect(restored[rung(0)[0].id]).toBeUndefined();
    expect(restored[rung(1)[0].id]).toEqual({ trained: 1 });
    expect(restored[rung(2)[0].id]).toEqual({ trained: 3 });
    expect(study.best.id).toBe(rung(2)[0].id);
  });

  it('refuses a resource that is also a space key', async () => {
    await expect(successiveHalving({ epochs: uniform(1, 2) }, objective, { resource: 'epochs', min: 1, max: 9 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('hyperband', () => {
  it('runs every bracket of the schedule, the same at any concurrency', async () => {
    const opts = { resource: 'epochs', min: 1, max: 9, eta: 3, seed: 2, progress: false } as const;
    const a = await hyperband({ x: uniform(0, 1) }, objective, opts);
    // Brackets for R = 9, η = 3: s = 2: 9@1, 3@3, 1@9; s = 1: ⌈3/2·3⌉ = 5@3, 1@9; s = 0: 3@9.
    const counts = [0, 1, 2].map((b) => a.trials.filter((t) => t.bracket === b).map((t) => t.resource));
    expect(counts[0]).toEqual([...Array(9).fill(1), 3, 3, 3, 9]);
    expect(counts[1]).toEqual([3, 3, 3, 3, 3, 9]);
    expect(counts[2]).toEqual([9, 9, 9]);
    expect(new Set(a.trials.map((t) => t.configId)).size).toBe(9 + 5 + 3);
    const b = await hyperband({ x: uniform(0, 1) }, async (p) => {
      await new Promise((r) => setTimeout(r, 1));
      return objective(p);
    }, { ...opts, concurrency: 3 });
    expect(b.trials.map((t) => [t.params, t.rung])).toEqual(a.trials.map((t) => [t.params, t.rung]));
  });
});
