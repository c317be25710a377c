// The optimizer race: gradient descent, momentum, RMSprop and Adam from nnkit walk the same surface
// from the same start. Each runner's position is a float64 Param whose grad is the surface's
// analytic gradient, and every move is the optimizer's own fused update.
import { adam, type FusedOptimizer, momentum, rmsprop, sgd } from '@nnkit/optimizers';
import { type Tensor, tensor } from '@nnkit/tensor-wasm';
import type { OptimizerChoice } from '../training/config';
import { RUNNERS } from './runners';
import { SURFACES, type SurfaceName } from './surfaces';

/** A runner further than this from the origin has diverged and stops. */
const DIVERGED = 1e6;

/** One optimizer's position on the surface. */
export interface RunnerState {
  optimizer: OptimizerChoice;
  x: number;
  y: number;
  f: number;
  diverged: boolean;
}

function optimizerFor(choice: OptimizerChoice, learningRate: number): FusedOptimizer {
  switch (choice) {
    case 'gd':
      return sgd({ learningRate });
    case 'momentum':
      return momentum({ learningRate });
    case 'rmsprop':
      return rmsprop({ learningRate });
    case 'adam':
      return adam({ learningRate });
  }
}

/** Four optimizers on one surface; `step()` moves each once. */
export class Race {
  readonly surface: SurfaceName;
  #runners: { choice: OptimizerChoice; opt: FusedOptimizer; value: Tensor; grad: Tensor; diverged: boolean }[];

  /**
   * @param surface - which surface
   * @param start - the common starting point
   * @param rates - each optimizer's learning rate
   */
  constructor(surface: SurfaceName, start: [number, number], rates: Record<OptimizerChoice, number>) {
    this.surface = surface;
    this.#runners = RUNNERS.map((choice) => ({
      choice,
      opt: optimizerFor(choice, rates[choice]),
      value: tensor(start, [2], 'float64'),
      grad: tensor([0, 0], [2], 'float64'),
      diverged: false,
    }));
  }

  /** One update of every runner that has not diverged; returns where they are. */
  step(): RunnerState[] {
    const s = SURFACES[this.surface];
    for (const r of this.#runners) {
      if (r.diverged) continue;
      const [x, y] = r.value.toArray();
      const g = s.grad(x, y);
      if (!g.every(Number.isFinite)) {
        r.diverged = true;
        continue;
      }
      r.grad.assign(g);
      r.opt.step([{ value: r.value, grad: r.grad }]);
      const [nx, ny] = r.value.toArray();
      if (!(Math.hypot(nx, ny) < DIVERGED)) r.diverged = true;
    }
    return this.positions();
  }

  /** Where every runner is now. */
  positions(): RunnerState[] {
    const s = SURFACES[this.surface];
    return this.#runners.map((r) => {
      const [x, y] = r.value.toArray();
      return { optimizer: r.choice, x, y, f: s.f(x, y), diverged: r.diverged };
    });
  }

  dispose(): void {
    for (const r of this.#runners) {
      r.opt.dispose();
      r.value.dispose();
      r.grad.dispose();
    }
  }
}
