// Plain (mini-batch) gradient descent: w −= lr·g, the course's first update rule.
import { checkOptionKeys, NnkitError, sgdUpdate, type Tensor } from '@nnkit/tensor-wasm';
import { type CommonOptions, FusedOptimizer } from './fused-optimizer';
import type { LearningRate } from './schedules/schedule';
import { checkBoolean, checkLearningRate } from './validate';

/** Options of {@link sgd}. */
export interface SgdOptions extends CommonOptions {
  /** A number ≥ 0 or a schedule `(t) => lr`; required (no default suits every problem). */
  learningRate: LearningRate;
}

/**
 * Gradient descent; create it with {@link sgd}.
 *
 * @example
 * const opt: Sgd = sgd({ learningRate: 0.1 });
 */
export class Sgd extends FusedOptimizer {
  readonly className = 'sgd';
  protected readonly slotNames = [] as const;

  constructor(options: SgdOptions) {
    const o = checkOptionKeys(options, ['learningRate', 'checkFinite'], 'sgd()');
    if (o.learningRate === undefined) {
      throw new NnkitError('INVALID_ARGUMENT', 'sgd(): learningRate is required, e.g. sgd({ learningRate: 0.01 })');
    }
    super(checkLearningRate(o.learningRate, 'sgd()'), checkBoolean(o.checkFinite ?? true, 'checkFinite', 'sgd()'), undefined, 'sgd()');
  }

  protected update(value: Tensor, grad: Tensor, _slots: Record<string, Tensor>, lr: number): void {
    sgdUpdate(value, grad, { lr });
  }
}

/**
 * Gradient descent, w −= lr·g, as PyTorch's SGD and TensorFlow.js's `tf.train.sgd`. Batch, mini-batch
 * and stochastic gradient descent differ only in the batch size the caller uses.
 *
 * @param options - `learningRate` (a number or a schedule), `checkFinite`
 * @returns an optimizer whose `step(params)` updates each value in one fused pass
 * @example
 * const opt = sgd({ learningRate: 0.1 });
 * opt.step(model.parameters());
 */
export function sgd(options: SgdOptions): Sgd {
  return new Sgd(options);
}
