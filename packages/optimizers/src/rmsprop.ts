// RMSprop: divide the step by a running root-mean-square of the gradient.
import { checkOptionKeys, NnkitError, rmspropUpdate, type Tensor } from '@nnkit/tensor-wasm';
import { type CommonOptions, FusedOptimizer } from './fused-optimizer';
import type { LearningRate } from './schedules/schedule';
import { checkBeta, checkBoolean, checkLearningRate, checkPositive } from './validate';

/** ρ (the course's β2 for RMSprop); Keras and TensorFlow.js use 0.9 as well (PyTorch's alpha is 0.99). */
export const RMSPROP_RHO = 0.9;
/** ε, as PyTorch's RMSprop (Keras uses 1e-7). */
export const RMSPROP_EPSILON = 1e-8;

/** Options of {@link rmsprop}. */
export interface RmspropOptions extends CommonOptions {
  /** A number ≥ 0 or a schedule `(t) => lr`; required. */
  learningRate: LearningRate;
  /** Decay of the squared-gradient average, in [0, 1); default {@link RMSPROP_RHO}. */
  rho?: number;
  /** ε > 0; default {@link RMSPROP_EPSILON}. */
  epsilon?: number;
  /** lr·g/√(s + ε) as TensorFlow.js and Keras 3, instead of lr·g/(√s + ε) (course, PyTorch); default false. */
  epsilonInsideSqrt?: boolean;
  /** Divide by the root of the variance s − mg² (mg the average gradient), as PyTorch's and Keras's centered; default false. */
  centered?: boolean;
}

/**
 * RMSprop; create it with {@link rmsprop}.
 *
 * @example
 * const opt: Rmsprop = rmsprop({ learningRate: 1e-3 });
 */
export class Rmsprop extends FusedOptimizer {
  readonly className = 'rmsprop';
  protected readonly slotNames: readonly string[];
  readonly rho: number;
  readonly epsilon: number;
  readonly epsilonInsideSqrt: boolean;
  readonly centered: boolean;

  constructor(options: RmspropOptions) {
    const where = 'rmsprop()';
    const o = checkOptionKeys(options, ['learningRate', 'rho', 'epsilon', 'epsilonInsideSqrt', 'centered', 'checkFinite'], where);
    if (o.learningRate === undefined) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: learningRate is required, e.g. rmsprop({ learningRate: 0.001 })`);
    }
    super(checkLearningRate(o.learningRate, where), checkBoolean(o.checkFinite ?? true, 'checkFinite', where), undefined, where);
    this.rho = checkBeta(o.rho ?? RMSPROP_RHO, 'rho', where);
    this.epsilon = checkPositive(o.epsilon ?? RMSPROP_EPSILON, 'epsilon', where);
    this.epsilonInsideSqrt = checkBoolean(o.epsilonInsideSqrt ?? false, 'epsilonInsideSqrt', where);
    this.centered = checkBoolean(o.centered ?? false, 'centered', where);
    this.slotNames = this.centered ? ['squareAverage', 'gradientAverage'] : ['squareAverage'];
  }

  protected update(value: Tensor, grad: Tensor, slots: Record<string, Tensor>, lr: number): void {
    rmspropUpdate(value, grad, slots.squareAverage, this.centered ? slots.gradientAverage : null, {
      lr, rho: this.rho, epsilon: this.epsilon, epsilonInsideSqrt: this.epsilonInsideSqrt,
    });
  }
}

/**
 * RMSprop: s = ρs + (1−ρ)g², w −= lr·g/(√s + ε) — ε outside the root, as the course and PyTorch.
 * `epsilonInsideSqrt: true` gives lr·g/√(s + ε) as TensorFlow.js and Keras 3; `centered: true`
 * divides by √(s − mg²) with mg = ρ·mg + (1−ρ)g, as PyTorch's and Keras's centered RMSprop.
 *
 * @param options - `learningRate`, `rho` (0.9), `epsilon` (1e-8), `epsilonInsideSqrt`, `centered`, `checkFinite`
 * @returns an optimizer keeping the squared-gradient average (and the gradient average) per parameter
 * @example
 * const opt = rmsprop({ learningRate: 1e-3 });
 * const tfjsLike = rmsprop({ learningRate: 1e-3, epsilon: 1e-7, epsilonInsideSqrt: true });
 */
export function rmsprop(options: RmspropOptions): Rmsprop {
  return new Rmsprop(options);
}
