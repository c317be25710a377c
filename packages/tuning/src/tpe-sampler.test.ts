// The TPE sampler: its split of the trials against Optuna 3.1 (test/fixtures/tpe-optuna.json),
// its start-up trials against random search, and what it proposes.
import { describe, expect, it } from 'vitest';
import optuna from '../test/fixtures/tpe-optuna.json';
import { choice, intLogUniform, intUniform, logUniform, oneMinusLogUniform, uniform } from './distributions';
import { randomSearch } from './random-search';
import type { TrialRecord } from './records';
import type { Plan } from './run';
import { search } from './search';
import { when } from './space';
import { splitTrials, tpeGamma, tpeSampler } from './tpe-sampler';

interface FixtureTrial {
  state: 'complete' | 'pruned' | 'running' | 'failed';
  value?: number;
  x: number;
  intermediate?: Record<string, number>;
}
const fixture = optuna as unknown as {
  gamma: Record<string, number>;
  splits: { direction: 'minimize' | 'maximize'; constantLiar: boolean; trials: FixtureTrial[]; finished: number; below: number[]; above: number[] }[];
};

function recordOf(t: FixtureTrial, id: number): TrialRecord {
  // nnkit keeps reports in report order; Optuna ranks a pruned trial by its highest step's value.
  const intermediate = Object.entries(t.intermediate ?? {}).map(([step, value]) => ({ step: Number(step), value }));
  const value = t.state === 'complete' ? (t.value as number) : t.state === 'pruned' ? (intermediate.at(-1)?.value ?? Number.NaN) : Number.NaN;
  return { id, params: { x: t.x }, value, state: t.state, durationMs: 0, intermediate, attempt: 1 };
}

describe('splitTrials against Optuna 3.1', () => {
  it('γ(n) = min(⌈n/10⌉, 25)', () => {
    for (const [n, g] of Object.entries(fixture.gamma)) expect(tpeGamma(Number(n)), `γ(${n})`).toBe(g);
  });

  it.each(fixture.splits.map((s) => [`${s.direction}${s.constantLiar ? ', constant liar' : ''}`, s] as const))(
    '%s: pruned ranked by last step, failed left out, running last only with the liar',
    (_name, s) => {
      const records = s.trials.map(recordOf);
      const split = splitTrials(records, s.direction, s.constantLiar);
      expect(split.finished).toBe(s.finished);
      expect(split.below.map((r) => r.id)).toEqual(s.below);
      expect(split.above.map((r) => r.id)).toEqual(s.above);
    },
  );
});

const space = {
  lr: logUniform(1e-4, 1),
  beta: oneMinusLogUniform(0.9, 0.999),
  layers: intUniform(1, 4),
  units: intLogUniform(16, 512),
  act: choice(['relu', 'tanh', 'gelu']),
  dropout: uniform(0, 0.5),
  fixed: 'adam',
  extra: when((p) => p.layers === 4, uniform(0, 1)),
};
const objective = (p: Record<string, unknown>) =>
  (Math.log10(p.lr as number) + 2) ** 2 + ((p.layers as number) - 2) ** 2 + (p.act === 'gelu' ? 0 : 1) + Math.abs(Math.log10(1 - (p.beta as number)) + 2);

describe('search with the TPE sampler', () => {
  it('its 10 start-up trials are random search’s trials of the same seed', async () => {
    const tpe = await search(space, objective, { sampler: 'tpe', trials: 12, seed: 4, progress: false });
    const random = await randomSearch(space, objective, { trials: 10, seed: 4, progress: false });
    expect(tpe.trials.slice(0, 10).map((t) => t.params)).toEqual(random.trials.map((t) => t.params));
    expect(tpe.trials[10].params).not.toEqual((await randomSearch(space, objective, { trials: 11, seed: 4, progress: false })).trials[10].params);
    expect(tpe.sampler).toBe('tpe');
  });

  it('proposes values of the space: in range, integers whole, choices listed, conditions kept', async () => {
    const study = await search(space, objective, { sampler: 'tpe', trials: 40, seed: 9, progress: false });
    for (const { params: p } of study.trials.slice(10)) {
      expect(p.lr).toBeGreaterThanOrEqual(1e-4);
      expect(p.lr).toBeLessThanOrEqual(1);
      expect(p.beta).toBeGreaterThanOrEqual(0.9);
      expect(p.beta).toBeLessThanOrEqual(0.999);
      expect(Number.isInteger(p.layers) && (p.layers as number) >= 1 && (p.layers as number) <= 4).toBe(true);
      expect(Number.isInteger(p.units) && (p.units as number) >= 16 && (p.units as number) <= 512).toBe(true);
      expect(['relu', 'tanh', 'gelu']).toContain(p.act);
      expect(p.fixed).toBe('adam');
      expect('extra' in p).toBe(p.layers === 4);
    }
  });

  it('learns: after the start-up, most trials pick the good choice and the good integer', async () => {
    const study = await search(space, objective, { sampler: 'tpe', trials: 40, seed: 2, progress: false });
    const later = study.trials.slice(20);
    // Random would give gelu 1/3 and layers = 2 1/4 of the time.
    expect(later.filter((t) => t.params.act === 'gelu').length).toBeGreaterThan(later.length / 2);
    expect(later.filter((t) => t.params.layers === 2).length).toBeGreaterThan(later.length / 2);
  });

  it('maximizes when asked: the good group is the highest values', async () => {
    const f = (p: { x: number }) => -((p.x - 0.8) ** 2);
    const study = await search({ x: uniform(0, 1) }, f, { sampler: 'tpe', trials: 30, seed: 1, direction: 'maximize', progress: false });
    const later = study.trials.slice(15).map((t) => t.params.x);
    expect(later.filter((x) => Math.abs(x - 0.8) < 0.2).length).toBeGreaterThan(later.length / 2);
  });

  it('is the same for a seed', async () => {
    const a = await search(space, objective, { sampler: 'tpe', trials: 15, seed: 7, progress: false });
    const b = await search(space, objective, { sampler: 'tpe', trials: 15, seed: 7, progress: false });
    expect(a.trials.map((t) => t.params)).toEqual(b.trials.map((t) => t.params));
  });

  it("with concurrency and the constant liar, running trials join the bad group and every trial completes", async () => {
    let running = 0;
    let most = 0;
    const study = await search(
      { x: uniform(-1, 1), k: intUniform(0, 5) },
      async (p) => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        return p.x ** 2 + p.k;
      },
      { sampler: 'tpe', trials: 24, seed: 3, concurrency: 3, constantLiar: true, progress: false },
    );
    expect(most).toBe(3);
    expect(study.trials.map((t) => t.state)).toEqual(new Array(24).fill('complete'));
  });

  it('the liar changes the plan only while trials are running', () => {
    const sampler = (liar: boolean) => tpeSampler({ x: uniform(0, 1) }, 'minimize', { trials: 20, constantLiar: liar });
    const done = Array.from({ length: 12 }, (_, id): TrialRecord => ({ id, params: { x: id / 12 }, value: (id / 12 - 0.5) ** 2, state: 'complete', durationMs: 0, intermediate: [], attempt: 1 }));
    expect(sampler(true).plan(12, done, 5)).toEqual(sampler(false).plan(12, done, 5));
    // Three trials running right at the best point so far (x = 0.5): as the worst, they push the
    // next proposal away from where they are; without the liar they are not seen at all.
    const withRunning: TrialRecord[] = [...done, ...[0.5, 0.49, 0.51].map((x, i): TrialRecord => ({ id: 12 + i, params: { x }, value: Number.NaN, state: 'running', durationMs: 0, intermediate: [], attempt: 1 }))];
    const x = (liar: boolean, records: TrialRecord[]) => (sampler(liar).plan(15, records, 5) as Plan).params.x as number;
    expect(x(false, withRunning)).toBe(x(false, done));
    expect(Math.abs(x(true, withRunning) - 0.5)).toBeGreaterThan(Math.abs(x(false, withRunning) - 0.5));
  });
});

describe('tpeSampler', () => {
  it('plans the same whatever order the storage lists the trials in (a shared study may list them by finish time)', () => {
    const s = { x: uniform(0, 1), k: intUniform(0, 9), c: choice(['a', 'b', 'c']) };
    const sampler = tpeSampler(s, 'minimize', { trials: 40 });
    const records = Array.from({ length: 30 }, (_, id): TrialRecord => {
      const params = { x: ((id * 7) % 30) / 30, k: id % 10, c: ['a', 'b', 'c'][id % 3] };
      return { id, params, value: (params.x - 0.3) ** 2 + params.k / 10, state: 'complete', durationMs: 0, intermediate: [], attempt: 1 };
    });
    const reversed = [...records].reverse();
    for (const seed of [1, 2, 3]) expect(sampler.plan(30, reversed, seed)).toEqual(sampler.plan(30, records, seed));
  });

  it('with startupTrials 0 the first trial is already drawn by the (prior-only) model', () => {
    const sampler = tpeSampler({ x: uniform(0, 1) }, 'minimize', { trials: 3, startupTrials: 0 });
    const plan = sampler.plan(0, [], 1) as Plan;
    expect(plan.params.x).toBeGreaterThanOrEqual(0);
    expect(plan.params.x).toBeLessThanOrEqual(1);
    expect(sampler.plan(3, [], 1)).toBe('done');
  });
});

describe('search(): bad options', () => {
  const f = (p: { x: number }) => p.x;
  const s = { x: uniform(0, 1) };
  it('names a bad sampler and the valid ones', async () => {
    await expect(search(s, f, { sampler: 'grid' as never, trials: 3 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: "search(): sampler = 'grid'; expected 'tpe' or 'random'",
    });
    await expect(search(s, f, { trials: 3 } as never)).rejects.toThrow("search(): sampler = undefined; expected 'tpe' or 'random'");
    await expect(search(s, f, { sampler: 1 as never, trials: 3 })).rejects.toThrow("search(): sampler = 1; expected 'tpe' or 'random'");
  });

  it("refuses TPE's options with the random sampler, and bad values of them", async () => {
    await expect(search(s, f, { sampler: 'random', trials: 3, constantLiar: true })).rejects.toThrow("search(): constantLiar applies to sampler 'tpe' only; sampler is 'random'");
    await expect(search(s, f, { sampler: 'tpe', trials: 3, constantLiar: 'yes' as never })).rejects.toThrow("search(): constantLiar = 'yes' (a string); expected true or false");
    await expect(search(s, f, { sampler: 'tpe', trials: 3, startupTrials: -1 })).rejects.toThrow('search(): startupTrials = -1; expected an integer ≥ 0');
    await expect(search(s, f, { sampler: 'tpe', trials: 3, eiCandidates: 0 })).rejects.toThrow('search(): eiCandidates = 0; expected an integer ≥ 1');
    await expect(search(s, f, { sampler: 'tpe', trials: 0 })).rejects.toThrow('search(): trials = 0; expected an integer ≥ 1');
    await expect(search(s, f, { sampler: 'tpe', trials: 3, concurrency: 0 })).rejects.toThrow('search(): concurrency = 0; expected an integer ≥ 1');
  });

  it('with the random sampler it is randomSearch: the same trials for a seed', async () => {
    const a = await search(space, objective, { sampler: 'random', trials: 8, seed: 11, progress: false });
    const b = await randomSearch(space, objective, { trials: 8, seed: 11, progress: false });
    expect(a.trials.map((t) => [t.params, t.value])).toEqual(b.trials.map((t) => [t.params, t.value]));
    expect(a.sampler).toBe('randomSearch');
  });
});
