// An nnkit model as the Keras `Sequential` topology TensorFlow.js writes, layer by layer, plus the
// nnkit settings Keras cannot express the same way. Two decisions, documented in the README:
// - a dense layer with leakyRelu becomes Dense(linear) + LeakyReLU for TensorFlow.js, which has no
//   leakyRelu activation string; nnkit reads the pair back as the one layer it was;
// - regularizers are written as null in the Keras config, because Keras's coefficient for the same
//   cost depends on the number of training examples (λ/(2m) for the course's L2); nnkit keeps its own.
import { Activation } from '../activation-layer';
import { BatchNorm } from '../batch-norm';
import { CustomLayer } from '../custom-layer';
import { Dense } from '../dense';
import { Dropout } from '../dropout';
import { fail } from '../errors';
import type { Layer } from '../layer';
import type { Sequential } from '../sequential';
import { kerasInitializer } from './keras-initializers';
import type { NnkitLayerExtras } from './nnkit-metadata';

/** The `keras_version` written, as TensorFlow.js writes its own ('tfjs-layers 4.22.0'). */
export const KERAS_VERSION = 'nnkit-layers 0.1.0';
/** Keras activation strings of the activations both sides have. */
const KERAS_ACTIVATIONS = { linear: 'linear', relu: 'relu', tanh: 'tanh', sigmoid: 'sigmoid', softmax: 'softmax' } as const;

type KerasLayer = { class_name: string; config: Record<string, unknown> };

const ZEROS = { class_name: 'Zeros', config: {} };
const ONES = { class_name: 'Ones', config: {} };

function regularizerExtras(layer: Dense): Pick<NnkitLayerExtras, 'regularizer'> {
  const r = layer.regularizer;
  if (!r) return {};
  const config = r.getConfig?.();
  if (r.className !== 'L1L2' || typeof config?.l1 !== 'number' || typeof config?.l2 !== 'number') {
    fail('UNSUPPORTED_REGULARIZER', `save(): ${layer.label} has a regularizer of class ${JSON.stringify(r.className ?? 'unknown')}; only l1/l2/l1l2 from @nnkit/regularizers (className 'L1L2') can be saved`);
  }
  return { regularizer: { l1: config.l1, l2: config.l2 } };
}

function denseLayers(layer: Dense, taken: Set<string>): { keras: KerasLayer[]; extras: NnkitLayerExtras } {
  const name = layer.name!;
  const leaky = layer.activation === 'leakyRelu';
  const config = {
    units: layer.units,
    activation: leaky ? 'linear' : KERAS_ACTIVATIONS[layer.activation as keyof typeof KERAS_ACTIVATIONS],
    use_bias: layer.useBias,
    kernel_initializer: kerasInitializer(layer.init),
    bias_initializer: ZEROS,
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    name,
    trainable: true,
  };
  const extras: NnkitLayerExtras = { init: layer.init, ...regularizerExtras(layer) };
  const keras: KerasLayer[] = [{ class_name: 'Dense', config }];
  if (leaky) {
    let split = `${name}_leaky_re_lu`;
    for (let n = 2; taken.has(split); n++) split = `${name}_leaky_re_lu_${n}`;
    taken.add(split);
    keras.push({ class_name: 'LeakyReLU', config: { alpha: layer.alpha, name: split, trainable: true } });
    extras.leakyRelu = { alpha: layer.alpha, layer: split };
  }
  return { keras, extras };
}

function kerasLayers(layer: Layer, taken: Set<string>): { keras: KerasLayer[]; extras?: NnkitLayerExtras } {
  const name = layer.name!;
  if (layer instanceof Dense) return denseLayers(layer, taken);
  if (layer instanceof CustomLayer) {
    // The class name and the layer's JSON options, as Keras writes a registered custom layer; the
    // weights' names and shapes go to nnkit's extras so that loading checks them before building.
    const weights = layer.liveWeights().map((w, i) => ({ name: layer.weightNames[i], shape: [...w.shape] }));
    return {
      keras: [{ class_name: layer.className, config: { ...layer.config, name, trainable: true } }],
      extras: { custom: { weights, units: layer.outputShape[0] } },
    };
  }
  if (layer instanceof BatchNorm) {
    return {
      keras: [{
        class_name: 'BatchNormalization',
        config: {
          axis: -1, momentum: layer.momentum, epsilon: layer.epsilon, center: true, scale: true,
          beta_initializer: ZEROS, gamma_initializer: ONES, moving_mean_initializer: ZEROS, moving_variance_initializer: ONES,
          beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null, name, trainable: true,
        },
      }],
    };
  }
  if (layer instanceof Dropout) return { keras: [{ class_name: 'Dropout', config: { rate: layer.rate, noise_shape: null, seed: null, name, trainable: true } }] };
  if (layer instanceof Activation) {
    if (layer.activation === 'leakyRelu') return { keras: [{ class_name: 'LeakyReLU', config: { alpha: layer.alpha, name, trainable: true } }] };
    return { keras: [{ class_name: 'Activation', config: { activation: KERAS_ACTIVATIONS[layer.activation], name, trainable: true } }] };
  }
  return fail('UNSUPPORTED_LAYER', `save(): ${layer.label} of class ${layer.className} has no TensorFlow.js layers-model form; nnkit saves Dense, BatchNormalization, Dropout, Activation and custom layers made with layer()`);
}

/**
 * The Keras `Sequential` topology of a built model, and nnkit's per-layer extras by layer name.
 *
 * @param model - a built model
 * @returns `{ topology, extras }`
 */
export function kerasTopology(model: Sequential): { topology: Record<string, unknown>; extras: Record<string, NnkitLayerExtras> } {
  const taken = new Set(model.layers.map((l) => l.name!));
  const layers: KerasLayer[] = [];
  const extras: Record<string, NnkitLayerExtras> = {};
  for (const layer of model.layers) {
    const out = kerasLayers(layer, taken);
    layers.push(...out.keras);
    if (out.extras) extras[layer.name!] = out.extras;
  }
  // Keras and TensorFlow.js read the input shape from the first layer's batch_input_shape.
  layers[0].config.batch_input_shape = [null, model.inputShape![0]];
  for (const l of layers) l.config.dtype = 'float32';
  return {
    topology: { class_name: 'Sequential', config: { name: 'sequential', layers }, keras_version: KERAS_VERSION, backend: 'tensor_flow.js' },
    extras,
  };
}
