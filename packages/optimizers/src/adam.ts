// Adam: momentum and RMSprop together, with bias correction; the course's default optimizer.
import { adamUpdate, checkOptionKeys, type Tensor } from '@nnkit/tensor-wasm';
import { type CommonOptions, FusedOptimizer } from './fused-optimizer';
import type { LearningRate } from './schedules/schedule';
import { checkBeta, checkBoolean, checkLearningRate, checkNumber, checkPositive } from './validate';

// The defaults of the Adam paper (Kingma & Ba 2015), the course, PyTorch, Keras and TensorFlow.js.
/** Default learning rate α. */
export const ADAM_LEARNING_RATE = 1e-3;
/** Default β1, the first moment's decay. */
export const ADAM_BETA1 = 0.9;
/** Default β2, the second moment's decay. */
export const ADAM_BETA2 = 0.999;
/** Default ε, added outside the root (TensorFlow.js and Keras use 1e-7). */
export const ADAM_EPSILON = 1e-8;

/** Options of {@link adam}. */
export interface AdamOptions extends CommonOptions {
  /** A number ≥ 0 or a schedule `(t) => lr`; default {@link ADAM_LEARNING_RATE}. */
  learningRate?: LearningRate;
  /** In [0, 1); default {@link ADAM_BETA1}. */
  beta1?: number;
  /** In [0, 1); default {@link ADAM_BETA2}. */
  beta2?: number;
  /** ε > 0; default {@link ADAM_EPSILON}. */
  epsilon?: number;
  /** λ ≥ 0 adds λ·w to the gradient before the moments (L2 through Adam, PyTorch Adam's weight_decay); default 0. */
  weightDecay?: number;
}

const ADAM_OPTIONS = ['learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay', 'checkFinite'];

/**
 * Adam and AdamW; create them with {@link adam} and {@link adamw}.
 *
 * @example
 * const opt: Adam = adam();
 * opt.decoupled; // false; adamw().decoupled is true
 */
export class Adam extends FusedOptimizer {
  readonly className: 'adam' | 'adamw';
  protected readonly slotNames = ['firstMoment', 'secondMoment'] as const;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  /** Whether weight decay is decoupled from the gradient (AdamW) or added to it (Adam). */
  readonly decoupled: boolean;

  /** @internal Use {@link adam} or {@link adamw}. */
  constructor(options: AdamOptions, decoupled: boolean, defaultWeightDecay: number) {
    const where = decoupled ? 'adamw()' : 'adam()';
    const o = checkOptionKeys(options, ADAM_OPTIONS, where);
    super(checkLearningRate(o.learningRate ?? ADAM_LEARNING_RATE, where), checkBoolean(o.checkFinite ?? true, 'checkFinite', where), ADAM_LEARNING_RATE, where);
    this.className = decoupled ? 'adamw' : 'adam';
    this.decoupled = decoupled;
    this.beta1 = checkBeta(o.beta1 ?? ADAM_BETA1, 'beta1', where);
    this.beta2 = checkBeta(o.beta2 ?? ADAM_BETA2, 'beta2', where);
    this.epsilon = checkPositive(o.epsilon ?? ADAM_EPSILON, 'epsilon', where);
    this.weightDecay = checkNumber(o.weightDecay ?? defaultWeightDecay, 'weightDecay', where, 0);
  }

  protected update(value: Tensor, grad: Tensor, slots: Record<string, Tensor>, lr: number, t: number): void {
    adamUpdate(value, grad, slots.firstMoment, slots.secondMoment, {
      lr, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, step: t,
      weightDecay: this.decoupled ? 0 : this.weightDecay,
      decoupledWeightDecay: this.decoupled ? this.weightDecay : 0,
    });
  }
}

/**
 * Adam: m = β1m + (1−β1)g, v = β2v + (1−β2)g², w −= lr·m̂/(√v̂ + ε) with m̂ = m/(1−β1ᵗ),
 * v̂ = v/(1−β2ᵗ), t counting updates from 1. ε sits outside the root, as the course, the paper,
 * PyTorch and TensorFlow.js. `weightDecay` adds λ·w to the gradient, as PyTorch's Adam.
 *
 * @param options - `learningRate` (1e-3), `beta1` (0.9), `beta2` (0.999), `epsilon` (1e-8), `weightDecay` (0), `checkFinite`
 * @returns an optimizer keeping two moment tensors per parameter
 * @example
 * const opt = adam();                         // lr 1e-3, β1 0.9, β2 0.999, ε 1e-8
 * opt.step(model.parameters());
 */
export function adam(options: AdamOptions = {}): Adam {
  return new Adam(options, false, 0);
}
