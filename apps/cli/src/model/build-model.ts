// The network of `nnkit train`: hidden dense layers (optionally batch-normalized, then the activation,
// then dropout) and an output layer of logits, with the loss that matches the targets.
import { type ActivationName, activation, batchNorm, dense, dropout, type Initializer, type Layer, type LossName, type Sequential, sequential } from '@nnkit/layers';
import { l2 } from '@nnkit/regularizers';
import type { DType } from '@nnkit/tensor-wasm';

/** What the hidden part of the network looks like. */
export interface NetworkOptions {
  /** Units of each hidden layer, e.g. [256, 128]. */
  hidden: number[];
  activation: ActivationName;
  init: Initializer;
  /** Batch norm on z, before the activation (the preceding bias is then dropped as redundant). */
  batchNorm: boolean;
  /** Dropout rate after each hidden layer (0 = none). */
  dropout: number;
  /** L2 λ with the course's scaling (λ/2m·ΣW²), on every kernel (0 = none). */
  l2: number;
}

/**
 * The loss for `outputs` logits: sigmoid cross-entropy for one output (two classes), softmax otherwise.
 * @param outputs - units of the output layer
 */
export function lossFor(outputs: number): LossName {
  return outputs === 1 ? 'sigmoidCrossEntropy' : 'softmaxCrossEntropy';
}

/**
 * Builds the model.
 *
 * @param inputs - features per example
 * @param outputs - 1 for two classes, k for k classes
 * @param net - hidden layers, activation, init, batch norm, dropout, L2
 * @param seed - the model's seed (weights, dropout masks)
 * @param dtype - float32 (default) or float64
 * @returns an uncompiled model
 * @example
 * const model = buildModel(784, 10, { hidden: [256, 128], activation: 'relu', init: 'he', batchNorm: false, dropout: 0.1, l2: 0 }, 1);
 */
export function buildModel(inputs: number, outputs: number, net: NetworkOptions, seed: number, dtype: DType = 'float32'): Sequential {
  const regularizer = net.l2 > 0 ? l2(net.l2) : undefined;
  const layers: Layer[] = [];
  for (const units of net.hidden) {
    if (net.batchNorm) {
      layers.push(dense(units, { init: net.init, useBias: false, regularizer }), batchNorm(), activation(net.activation));
    } else {
      layers.push(dense(units, { activation: net.activation, init: net.init, regularizer }));
    }
    if (net.dropout > 0) layers.push(dropout(net.dropout));
  }
  layers.push(dense(outputs, { init: net.init, regularizer }));
  return sequential(layers, { inputShape: [inputs], seed, dtype });
}

/** A one-line description such as `784 → 256 relu → 128 relu → 10 (softmax), He init, dropout 0.1`. */
export function describeNetwork(inputs: number, outputs: number, net: NetworkOptions): string {
  const hidden = net.hidden.map((u) => `${u} ${net.batchNorm ? 'BN ' : ''}${net.activation}`);
  const extras = [`${typeof net.init === 'string' ? net.init : `N(0, ${net.init.scale}²)`} init`];
  if (net.dropout > 0) extras.push(`dropout ${net.dropout}`);
  if (net.l2 > 0) extras.push(`L2 λ=${net.l2}`);
  return `${[inputs, ...hidden, `${outputs} (${outputs === 1 ? 'sigmoid' : 'softmax'})`].join(' → ')}, ${extras.join(', ')}`;
}
