// The searches type an objective's params from the space; tsc checks these lines (the runtime
// assertions only make the test run).
import { describe, expect, expectTypeOf, it } from 'vitest';
import { choice, intUniform, logUniform, oneMinusLogUniform } from './distributions';
import { hyperband } from './halving';
import { randomSearch } from './random-search';
import { type ParamsOf, when } from './space';

const space = {
  learningRate: logUniform(1e-4, 1),
  beta: oneMinusLogUniform(0.9, 0.999),
  hidden: choice([64, 128, 256]),
  activation: choice(['relu', 'tanh']),
  layers: intUniform(1, 3),
  units2: when((p) => Number(p.layers) >= 2, intUniform(8, 64)),
  optimizer: 'adam',
};

describe('typed params', () => {
  it('infers each key from its entry; conditional keys are optional', async () => {
    expectTypeOf<ParamsOf<typeof space>>().toEqualTypeOf<
      { learningRate: number; beta: number; hidden: 64 | 128 | 256; activation: 'relu' | 'tanh'; layers: number; optimizer: string } & {
        units2?: number;
      }
    >();
    const study = await randomSearch(
      space,
      (p) => {
        expectTypeOf(p.learningRate).toEqualTypeOf<number>();
        expectTypeOf(p.activation).toEqualTypeOf<'relu' | 'tanh'>();
        return p.learningRate * p.hidden;
      },
      { trials: 3, seed: 1, progress: false },
    );
    expectTypeOf(study.best.params.hidden).toEqualTypeOf<64 | 128 | 256>();
    expect([64, 128, 256]).toContain(study.best.params.hidden);
  });

  it('adds the resource to the params of halving searches', async () => {
    const study = await hyperband({ x: logUniform(1e-3, 1) }, (p) => {
      expectTypeOf(p.epochs).toEqualTypeOf<number>();
      return p.x / p.epochs;
    }, { resource: 'epochs', min: 1, max: 3, progress: false });
    expectTypeOf(study.trials[0].params.epochs).toEqualTypeOf<number>();
    expect(study.trials.every((t) => t.params.epochs >= 1)).toBe(true);
  });
});
