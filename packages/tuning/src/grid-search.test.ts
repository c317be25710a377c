import { describe, expect, it } from 'vitest';
import { choice, intUniform, logUniform } from './distributions';
import { gridPoints, gridSearch } from './grid-search';
import { when } from './space';

describe('gridSearch', () => {
  it('tries every combination exactly once', async () => {
    const space = { lr: logUniform(1e-3, 1e-1), layers: intUniform(1, 3), act: choice(['relu', 'tanh']), batch: 64 };
    const study = await gridSearch(space, (p) => (p.layers as number) * (p.lr as number), { gridSize: 3, progress: false });
    expect(study.trials).toHaveLength(3 * 3 * 2);
    const keys = new Set(study.trials.map((t) => JSON.stringify([Number((t.params.lr as number).toPrecision(10)), t.params.layers, t.params.act])));
    expect(keys.size).toBe(18);
    for (const lr of [1e-3, 1e-2, 1e-1]) {
      for (const layers of [1, 2, 3]) {
        for (const act of ['relu', 'tanh']) expect(keys.has(JSON.stringify([lr, layers, act]))).toBe(true);
      }
    }
    expect(study.trials.every((t) => t.params.batch === 64)).toBe(true);
    expect(study.best.params.layers).toBe(1);
    expect(study.best.params.lr).toBeCloseTo(1e-3, 15);
  });

  it('drops inactive conditional keys and lists merged points once', () => {
    const points = gridPoints({ layers: intUniform(1, 2), units2: when((p) => p.layers === 2, choice([8, 16])) });
    expect(points).toEqual([{ layers: 1 }, { layers: 2, units2: 8 }, { layers: 2, units2: 16 }]);
  });

  it('stops at `trials` and refuses bad sizes', async () => {
    const study = await gridSearch({ a: intUniform(1, 10) }, (p) => p.a as number, { trials: 4, progress: false });
    // Five points on 1…10: 1 + 9k/4 = 1, 3.25, 5.5, 7.75, 10, rounded; the first four are run.
    expect(study.trials.map((t) => t.params.a)).toEqual([1, 3, 6, 8]);
    expect(() => gridPoints({ a: intUniform(1, 3) }, 0)).toThrowError('gridSearch(): gridSize = 0; expected an integer ≥ 1');
  });
});
