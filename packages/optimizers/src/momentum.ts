// Gradient descent with momentum: the course's averaged velocity, PyTorch's heavy ball, and Nesterov.
import { checkOptionKeys, momentumUpdate, NnkitError, type Tensor } from '@nnkit/tensor-wasm';
import { type CommonOptions, FusedOptimizer } from './fused-optimizer';
import type { LearningRate } from './schedules/schedule';
import { checkBeta, checkBoolean, checkLearningRate } from './validate';

/** β of the course (averaging over about 1/(1−β) = 10 gradients), also PyTorch's usual choice. */
export const MOMENTUM_BETA = 0.9;

/**
 * How the velocity accumulates: `'ewma'`, v = βv + (1−β)g, the course's exponentially weighted
 * average; `'heavyBall'`, v = βv + g, as PyTorch's SGD and TensorFlow.js's `tf.train.momentum`.
 * The two follow the same path when the heavy ball's learning rate is (1−β) times smaller.
 */
export type MomentumForm = 'ewma' | 'heavyBall';

/** Options of {@link momentum}. */
export interface MomentumOptions extends CommonOptions {
  /** A number ≥ 0 or a schedule `(t) => lr`; required. */
  learningRate: LearningRate;
  /** Decay of the velocity, in [0, 1); default {@link MOMENTUM_BETA}. */
  beta?: number;
  /** `'ewma'` (default, the course) or `'heavyBall'` (PyTorch, TensorFlow.js). */
  form?: MomentumForm;
  /** Step along a·g + β·v (a = 1 − β, or 1 for the heavy ball) instead of v, as PyTorch's nesterov; default false. */
  nesterov?: boolean;
}

/**
 * Momentum; create it with {@link momentum}.
 *
 * @example
 * const opt: Momentum = momentum({ learningRate: 0.1 });
 */
export class Momentum extends FusedOptimizer {
  readonly className = 'momentum';
  protected readonly slotNames = ['velocity'] as const;
  readonly beta: number;
  readonly form: MomentumForm;
  readonly nesterov: boolean;

  constructor(options: MomentumOptions) {
    const where = 'momentum()';
    const o = checkOptionKeys(options, ['learningRate', 'beta', 'form', 'nesterov', 'checkFinite'], where);
    if (o.learningRate === undefined) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: learningRate is required, e.g. momentum({ learningRate: 0.01 })`);
    }
    const form = o.form ?? 'ewma';
    if (form !== 'ewma' && form !== 'heavyBall') {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: form ${JSON.stringify(form)} must be 'ewma' or 'heavyBall'`);
    }
    super(checkLearningRate(o.learningRate, where), checkBoolean(o.checkFinite ?? true, 'checkFinite', where), undefined, where);
    this.beta = checkBeta(o.beta ?? MOMENTUM_BETA, 'beta', where);
    this.form = form;
    this.nesterov = checkBoolean(o.nesterov ?? false, 'nesterov', where);
  }

  protected update(value: Tensor, grad: Tensor, slots: Record<string, Tensor>, lr: number): void {
    const gradientScale = this.form === 'ewma' ? 1 - this.beta : 1;
    momentumUpdate(value, grad, slots.velocity, { lr, beta: this.beta, gradientScale, nesterov: this.nesterov });
  }
}

/**
 * Gradient descent with momentum. With `form: 'ewma'` (default) v = βv + (1−β)g and w −= lr·v, the
 * course's form; with `form: 'heavyBall'` v = βv + g, as PyTorch's SGD(momentum) and TensorFlow.js.
 * `nesterov: true` steps along a·g + β·v with the new v, PyTorch's Nesterov (a = 1 for the heavy ball).
 *
 * @param options - `learningRate`, `beta` (0.9), `form` ('ewma'), `nesterov` (false), `checkFinite`
 * @returns an optimizer keeping one velocity tensor per parameter
 * @example
 * const opt = momentum({ learningRate: 0.1, beta: 0.9 });            // the course
 * const torchLike = momentum({ learningRate: 0.01, form: 'heavyBall', nesterov: true });
 */
export function momentum(options: MomentumOptions): Momentum {
  return new Momentum(options);
}
