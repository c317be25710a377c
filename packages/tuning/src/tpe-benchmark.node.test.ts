// TPE against random search on test functions of 2–6 parameters (log-scaled, integer and
// categorical): over 20 seeds, the median best value after 40 trials must be lower with TPE.
// Each seed gives the same trials every run (one trial at a time, an inline objective), so the
// comparison is deterministic and cannot flake. 20 seeds rather than 10 because the 2-D Rosenbrock
// is a close race at 40 trials (TPE wins 19 of seeds 1–30, and its median over seeds 1–10 alone
// is worse than random's: 0.797 against 0.649); Optuna 3.1's own TPE has a median best of 0.66
// there over 100 seeds. It runs in Node only, to keep CI's time: the generator is integer-only, so
// a browser would draw the same trials and reach the same numbers.
import { describe, expect, it } from 'vitest';
import { choice, intLogUniform, intUniform, logUniform, oneMinusLogUniform, uniform } from './distributions';
import { search } from './search';
import type { Params, Space } from './space';

const TRIALS = 40;
const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

function rosenbrock(xs: number[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < xs.length; i++) sum += 100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2;
  return sum;
}

/** Rosenbrock with its minimum moved from (1, …, 1) to (1 + shift_i), on [−2, 3]^d. */
function shiftedRosenbrock(dims: number): [Space, (p: Params) => number] {
  const shifts = [0.3, -0.4, 0.2, -0.1];
  const space: Space = {};
  for (let i = 0; i < dims; i++) space[`x${i}`] = uniform(-2, 3);
  return [space, (p) => rosenbrock(Array.from({ length: dims }, (_, i) => (p[`x${i}`] as number) - shifts[i]))];
}

const ACTIVATION: Record<string, number> = { relu: 0.5, gelu: 0, tanh: 1, sigmoid: 2 };
const OPTIMIZER: Record<string, number> = { adam: 0, rmsprop: 0.3, sgd: 1 };

const FUNCTIONS: [string, Space, (p: Params) => number][] = [
  [
    'log-scaled quadratic bowl (3 params, log and 1 − β)',
    { lr: logUniform(1e-5, 1), wd: logUniform(1e-6, 0.1), beta: oneMinusLogUniform(0.8, 0.9999) },
    (p) => (Math.log10(p.lr as number) + 2.5) ** 2 + (Math.log10(p.wd as number) + 4) ** 2 + (Math.log10(1 - (p.beta as number)) + 2.2) ** 2,
  ],
  ['shifted Rosenbrock, 2 dims', ...shiftedRosenbrock(2)],
  ['shifted Rosenbrock, 4 dims', ...shiftedRosenbrock(4)],
  [
    'mixed integer / categorical (6 params)',
    {
      layers: intUniform(1, 8),
      units: intLogUniform(8, 1024),
      activation: choice(['relu', 'tanh', 'gelu', 'sigmoid']),
      optimizer: choice(['sgd', 'adam', 'rmsprop']),
      lr: logUniform(1e-4, 1),
      dropout: uniform(0, 0.8),
    },
    (p) =>
      ((p.layers as number) - 3) ** 2 / 4 +
      (Math.log2(p.units as number) - 7) ** 2 / 4 +
      ACTIVATION[p.activation as string] +
      OPTIMIZER[p.optimizer as string] +
      (Math.log10(p.lr as number) + 2.5) ** 2 +
      4 * ((p.dropout as number) - 0.2) ** 2,
  ],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
}

async function medianBest(sampler: 'tpe' | 'random', space: Space, f: (p: Params) => number): Promise<number> {
  const bests: number[] = [];
  for (const seed of SEEDS) {
    const study = await search(space, f, { sampler, trials: TRIALS, seed, progress: false });
    bests.push(Math.min(...study.trials.map((t) => t.value)));
  }
  return median(bests);
}

describe('TPE beats random search after 40 trials (median best over 20 seeds)', () => {
  it.each(FUNCTIONS)('%s', async (_name, space, f) => {
    const tpe = await medianBest('tpe', space, f);
    const random = await medianBest('random', space, f);
    if (process.env.TPE_BENCHMARK_PRINT) console.log(`${_name}: TPE ${tpe.toPrecision(4)}, random ${random.toPrecision(4)}`);
    expect(tpe).toBeLessThan(random);
  });
});
