// The update rule and learning-rate schedule chosen on the command line. Schedules step per epoch,
// as the course's decay formulas are written (α = α0/(1 + rate·⌊epoch/interval⌋), 0.95^epoch·α0, …).
import { adam, cosineDecay, exponentialDecay, inverseTimeDecay, type LearningRate, momentum, rmsprop, sgd, stepDecay } from '@nnkit/optimizers';

/** Optimizers by name. */
export const OPTIMIZERS = ['adam', 'momentum', 'rmsprop', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
/** Schedules by name. */
export const DECAYS = ['none', 'inverse-time', 'exponential', 'step', 'cosine'] as const;
export type DecayName = (typeof DECAYS)[number];

/** Default decay rate of each schedule: the course's 1/(1 + 1·epoch), 0.95^epoch, and halving for steps. */
export const DEFAULT_DECAY_RATE: Record<DecayName, number> = { none: 0, 'inverse-time': 1, exponential: 0.95, step: 0.5, cosine: 0 };

/** Options of {@link buildOptimizer}. */
export interface OptimizerOptions {
  optimizer: OptimizerName;
  learningRate: number;
  /** Momentum's β or Adam's β1 (each optimizer's default when absent); RMSprop's ρ only when `rho` is absent (deprecated). */
  beta?: number;
  /** Adam's β2. */
  beta2?: number;
  /** RMSprop's ρ, named as `rmsprop({ rho })` names it (its default when absent). */
  rho?: number;
  decay: DecayName;
  /** The schedule's rate (see {@link DEFAULT_DECAY_RATE}). */
  decayRate?: number;
  /** Epochs between decays (fixed-interval scheduling); 1 decays every epoch. */
  decayEvery: number;
  /** Length of training, for cosine decay. */
  epochs: number;
}

/**
 * The learning rate: a number, or a per-epoch schedule.
 * @param o - the options
 */
export function learningRateOf(o: OptimizerOptions): LearningRate {
  const initial = o.learningRate;
  const rate = o.decayRate ?? DEFAULT_DECAY_RATE[o.decay];
  const every = o.decayEvery;
  switch (o.decay) {
    case 'none':
      return initial;
    case 'inverse-time':
      return inverseTimeDecay({ initial, decayRate: rate, decaySteps: every, staircase: every > 1, stepping: 'epoch' });
    case 'exponential':
      return exponentialDecay({ initial, decayRate: rate, decaySteps: every, staircase: every > 1, stepping: 'epoch' });
    case 'step':
      return stepDecay({ initial, factor: rate, every, stepping: 'epoch' });
    case 'cosine':
      return cosineDecay({ initial, decaySteps: Math.max(1, o.epochs), stepping: 'epoch' });
  }
}

/**
 * Builds the optimizer.
 * @param o - optimizer, learning rate, β's, decay
 * @returns an optimizer from @nnkit/optimizers
 * @example
 * buildOptimizer({ optimizer: 'adam', learningRate: 2e-3, decay: 'cosine', decayEvery: 1, epochs: 30 });
 */
export function buildOptimizer(o: OptimizerOptions) {
  const learningRate = learningRateOf(o);
  switch (o.optimizer) {
    case 'adam':
      return adam({ learningRate, ...(o.beta !== undefined && { beta1: o.beta }), ...(o.beta2 !== undefined && { beta2: o.beta2 }) });
    case 'momentum':
      return momentum({ learningRate, ...(o.beta !== undefined && { beta: o.beta }) });
    case 'rmsprop':
      return rmsprop({ learningRate, ...((o.rho ?? o.beta) !== undefined && { rho: o.rho ?? o.beta }) });
    case 'sgd':
      return sgd({ learningRate });
  }
}

/** e.g. `adam (lr 0.002, cosine decay)`. */
export function describeOptimizer(o: OptimizerOptions): string {
  const decay = o.decay === 'none' ? '' : `, ${o.decay} decay${o.decayEvery > 1 ? ` every ${o.decayEvery} epochs` : ''}`;
  return `${o.optimizer} (lr ${o.learningRate}${decay})`;
}
