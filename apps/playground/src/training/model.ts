// The network and optimizer a config describes, built only from the nnkit packages' public APIs.
import { activation, batchNorm, dense, dropout, type Layer, type Sequential, sequential } from '@nnkit/layers';
import {
  adam, exponentialDecay, type FusedOptimizer, inverseSqrtDecay, inverseTimeDecay, type LearningRate, momentum, rmsprop, sgd,
} from '@nnkit/optimizers';
import { l2 } from '@nnkit/regularizers';
import { type RunConfig, STAIRCASE_EPOCHS } from './config';

/**
 * The hidden stack and the output layer. With batch norm a hidden layer is dense (no bias: batch
 * norm's β replaces it) → batchNorm → activation, normalizing z before the activation as the course
 * does; dropout follows each hidden activation. The output is one logit for two classes (sigmoid
 * cross-entropy), else one logit per class (softmax cross-entropy).
 *
 * @param config - the run's settings
 * @param features - inputs per example
 * @param classes - number of classes
 * @returns the built model (seeded by `config.seed`)
 * @example
 * const model = buildModel(resolveConfig(), 2, 2);
 */
export function buildModel(config: RunConfig, features: number, classes: number): Sequential {
  const regularizer = config.l2 > 0 ? l2(config.l2) : undefined;
  const init = config.init;
  const layers: Layer[] = [];
  for (let i = 0; i < config.hiddenLayers; i++) {
    if (config.batchNorm) {
      layers.push(dense(config.units, { init, regularizer, useBias: false }), batchNorm(), activation(config.activation));
    } else {
      layers.push(dense(config.units, { init, regularizer, activation: config.activation }));
    }
    if (config.dropout > 0) layers.push(dropout(config.dropout));
  }
  layers.push(dense(classes === 2 ? 1 : classes, { init, regularizer }));
  return sequential(layers, { inputShape: [features], seed: config.seed });
}

/**
 * The learning rate as a number or a per-epoch schedule: the course's 1/(1 + rate·epoch),
 * rate^epoch, 1/√epoch, and the staircase (fixed-interval) form of the first.
 *
 * @param config - the run's settings
 * @returns what the optimizer takes as `learningRate`
 * @example
 * learningRateOf({ ...config, schedule: 'inverseTime', decayRate: 1 }); // α0/(1 + epoch)
 */
export function learningRateOf(config: RunConfig): LearningRate {
  const initial = config.learningRate;
  switch (config.schedule) {
    case 'constant':
      return initial;
    case 'inverseTime':
      return inverseTimeDecay({ initial, decayRate: config.decayRate, stepping: 'epoch' });
    case 'staircase':
      return inverseTimeDecay({ initial, decayRate: config.decayRate, decaySteps: STAIRCASE_EPOCHS, staircase: true, stepping: 'epoch' });
    case 'exponential':
      return exponentialDecay({ initial, decayRate: config.decayRate, stepping: 'epoch' });
    case 'inverseSqrt':
      return inverseSqrtDecay({ initial, stepping: 'epoch' });
  }
}

/**
 * The optimizer of `config`: plain (mini-batch) gradient descent, momentum in the course's averaged
 * form (β), RMSprop (ρ), or Adam (β1 = β, β2).
 *
 * @param config - the run's settings
 * @returns a fused nnkit optimizer
 * @example
 * const opt = buildOptimizer(resolveConfig({ optimizer: 'rmsprop' }));
 */
export function buildOptimizer(config: RunConfig): FusedOptimizer {
  const learningRate = learningRateOf(config);
  switch (config.optimizer) {
    case 'gd':
      return sgd({ learningRate });
    case 'momentum':
      return momentum({ learningRate, beta: config.beta });
    case 'rmsprop':
      return rmsprop({ learningRate, rho: config.rho });
    case 'adam':
      return adam({ learningRate, beta1: config.beta, beta2: config.beta2 });
  }
}

/** The loss that matches {@link buildModel}'s output layer. */
export function lossFor(classes: number): 'sigmoidCrossEntropy' | 'softmaxCrossEntropy' {
  return classes === 2 ? 'sigmoidCrossEntropy' : 'softmaxCrossEntropy';
}
