// A Keras `Sequential` topology (as TensorFlow.js, Keras or nnkit wrote it) read into a plan of nnkit
// layers and the weights each must receive, checked before anything is allocated. Only what changes
// predictions is enforced; training-only settings (regularizers, constraints, initializers) are
// read leniently, since the file's weights replace whatever they would have produced.
import { l1l2 } from '@nnkit/regularizers';
import { Activation } from '../activation-layer';
import { BatchNorm } from '../batch-norm';
import { type CustomLayerFactory, findLayerFactory } from '../custom-layer';
import { Dense } from '../dense';
import { Dropout } from '../dropout';
import { fail } from '../errors';
import type { Layer } from '../layer';
import { asArray, asBoolean, asInt, asNumber, asObject, asString, invalid, type JsonObject, own, show } from './json-guard';
import { initializerFromKeras } from './keras-initializers';
import type { NnkitLayerExtras } from './nnkit-metadata';

/** Most layers in one topology. */
export const MAX_LAYERS = 10_000;

/** One layer to create and the weights (by role, in `liveWeights()` order) it takes from the file. */
export interface LayerPlan {
  name: string;
  make(): Layer;
  weights: { role: string; index: number; shape: number[] }[];
}

const ACTIVATIONS: Record<string, 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'softmax'> = {
  linear: 'linear', relu: 'relu', tanh: 'tanh', sigmoid: 'sigmoid', softmax: 'softmax',
};
const SUPPORTED = 'Dense, Dropout, BatchNormalization, Activation, LeakyReLU, ReLU, Softmax (and InputLayer)';

function activationOf(value: unknown, where: string): 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'softmax' {
  const name = value === undefined || value === null ? 'linear' : value;
  if (typeof name !== 'string' || !Object.hasOwn(ACTIVATIONS, name)) {
    fail('UNSUPPORTED_ACTIVATION', `${where}: activation ${show(name)} has no nnkit equal; nnkit reads ${Object.keys(ACTIVATIONS).join(', ')} (and LeakyReLU layers)`);
  }
  return ACTIVATIONS[name];
}

/** Features of a batch shape [null, n] (or an input shape [n]). */
function featuresOf(config: JsonObject, where: string, maxElements: number): number | undefined {
  for (const key of ['batch_input_shape', 'batchInputShape', 'batch_shape']) {
    const v = own(config, key);
    if (v === undefined || v === null) continue;
    const shape = asArray(v, `${where}.${key}`);
    if (shape.length !== 2 || shape[0] !== null && typeof shape[0] !== 'number') {
      fail('UNSUPPORTED_LAYER', `${where}.${key}: nnkit models take 2-D input [batch, features]; got a shape of ${shape.length} dimensions`);
    }
    return asInt(shape[1], `${where}.${key}[1]`, 1, maxElements);
  }
  for (const key of ['input_shape', 'inputShape']) {
    const v = own(config, key);
    if (v === undefined || v === null) continue;
    const shape = asArray(v, `${where}.${key}`);
    if (shape.length !== 1) fail('UNSUPPORTED_LAYER', `${where}.${key}: nnkit models take 1-D examples [features]; got ${shape.length} dimensions`);
    return asInt(shape[0], `${where}.${key}[0]`, 1, maxElements);
  }
  return undefined;
}

interface Step {
  plan: LayerPlan | null;
  out: number;
  /** The next Keras layer was folded into this one (a dense layer's leakyRelu). */
  consumedNext?: boolean;
}

function denseStep(c: JsonObject, name: string, n: number, where: string, extras: NnkitLayerExtras | undefined, next: JsonObject | undefined, maxElements: number): Step {
  const units = asInt(own(c, 'units'), `${where}.units`, 1, maxElements);
  const useBias = own(c, 'use_bias') === undefined ? true : asBoolean(own(c, 'use_bias'), `${where}.use_bias`);
  let activation: 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'softmax' | 'leakyRelu' = activationOf(own(c, 'activation'), where);
  let alpha: number | undefined;
  let consumedNext = false;
  // nnkit wrote a fused leakyRelu as Dense(linear) + LeakyReLU; fold the pair back only when it is exactly that.
  const leaky = extras?.leakyRelu;
  if (leaky && activation === 'linear' && next && own(next, 'class_name') === 'LeakyReLU') {
    const nc = asObject(own(next, 'config'), `${where} (next layer).config`);
    if (own(nc, 'name') === leaky.layer) {
      activation = 'leakyRelu';
      alpha = leaky.alpha;
      consumedNext = true;
    }
  }
  const init = extras?.init ?? initializerFromKeras(own(c, 'kernel_initializer'));
  const reg = extras?.regularizer;
  const weights = [{ role: 'kernel', index: 0, shape: [n, units] }];
  if (useBias) weights.push({ role: 'bias', index: 1, shape: [units] });
  return {
    plan: { name, weights, make: () => new Dense(units, { activation, alpha, init, useBias, name, regularizer: reg ? l1l2(reg) : undefined }) },
    out: units,
    consumedNext,
  };
}

function batchNormStep(c: JsonObject, name: string, n: number, where: string): Step {
  const axis = own(c, 'axis');
  const axisValue = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
  if (axisValue !== undefined && axisValue !== -1 && axisValue !== 1) {
    fail('UNSUPPORTED_LAYER', `${where}.axis: nnkit normalizes each feature over the batch (axis -1); got ${show(axis)}`);
  }
  const momentum = own(c, 'momentum') === undefined ? 0.99 : asNumber(own(c, 'momentum'), `${where}.momentum`);
  const epsilon = own(c, 'epsilon') === undefined ? 1e-3 : asNumber(own(c, 'epsilon'), `${where}.epsilon`);
  // Without center or scale Keras stores no β or γ; nnkit keeps its initial 0 and 1 there, which predicts the same.
  const center = own(c, 'center') === undefined ? true : asBoolean(own(c, 'center'), `${where}.center`);
  const scale = own(c, 'scale') === undefined ? true : asBoolean(own(c, 'scale'), `${where}.scale`);
  const weights: LayerPlan['weights'] = [];
  if (scale) weights.push({ role: 'gamma', index: 0, shape: [n] });
  if (center) weights.push({ role: 'beta', index: 1, shape: [n] });
  weights.push({ role: 'moving_mean', index: 2, shape: [n] }, { role: 'moving_variance', index: 3, shape: [n] });
  return { plan: { name, weights, make: () => new BatchNorm({ momentum, epsilon, name }) }, out: n };
}

/** Keys of a layer config that belong to model.json, not to a custom layer's options. */
const FILE_KEYS = new Set(['name', 'trainable', 'dtype', 'batch_input_shape', 'batchInputShape', 'input_shape', 'inputShape']);

function customStep(factory: CustomLayerFactory, c: JsonObject, name: string, where: string, extras: NnkitLayerExtras | undefined, maxElements: number): Step {
  const custom = extras?.custom;
  if (!custom) invalid(where, `is a custom layer of class ${show(factory.className)} but nnkit's metadata has no weights for it (userDefinedMetadata.nnkit.layers.${name}.custom)`);
  for (const w of custom.weights) {
    if (w.shape.some((d) => d > maxElements)) invalid(where, `weight ${show(w.name)} has shape [${w.shape.join(', ')}], larger than maxWeightBytes allows`);
  }
  const options = Object.fromEntries(Object.entries(c).filter(([k]) => !FILE_KEYS.has(k)));
  return {
    plan: { name, weights: custom.weights.map((w, index) => ({ role: w.name, index, shape: w.shape })), make: () => factory({ ...options, name }) },
    out: custom.units,
  };
}

function layerStep(
  cls: string, c: JsonObject, name: string, n: number, where: string, extras: NnkitLayerExtras | undefined, next: JsonObject | undefined, maxElements: number,
  factories: readonly CustomLayerFactory[] | undefined,
): Step {
  const factory = findLayerFactory(cls, factories);
  if (factory) return customStep(factory, c, name, where, extras, maxElements);
  switch (cls) {
    case 'Dense':
      return denseStep(c, name, n, where, extras, next, maxElements);
    case 'BatchNormalization':
      return batchNormStep(c, name, n, where);
    case 'Dropout': {
      const rate = asNumber(own(c, 'rate'), `${where}.rate`);
      const noise = own(c, 'noise_shape');
      if (noise !== undefined && noise !== null) fail('UNSUPPORTED_LAYER', `${where}.noise_shape: nnkit drops units independently; got ${show(noise)}`);
      return { plan: { name, weights: [], make: () => new Dropout(rate, { name }) }, out: n };
    }
    case 'Activation': {
      const activation = activationOf(own(c, 'activation'), where);
      return { plan: { name, weights: [], make: () => new Activation(activation, { name }) }, out: n };
    }
    case 'LeakyReLU': {
      // Keras 3 calls the slope negative_slope; Keras 2 and TensorFlow.js call it alpha (default 0.3).
      const raw = own(c, 'alpha') ?? own(c, 'negative_slope');
      const alpha = raw === undefined ? 0.3 : asNumber(raw, `${where}.alpha`);
      return { plan: { name, weights: [], make: () => new Activation('leakyRelu', { alpha, name }) }, out: n };
    }
    case 'ReLU': {
      for (const key of ['max_value', 'maxValue']) {
        if (own(c, key) !== undefined && own(c, key) !== null) fail('UNSUPPORTED_LAYER', `${where}.${key}: nnkit's relu is not capped; got ${show(own(c, key))}`);
      }
      if ((own(c, 'negative_slope') ?? 0) !== 0 || (own(c, 'threshold') ?? 0) !== 0) fail('UNSUPPORTED_LAYER', `${where}: only a plain ReLU (negative_slope 0, threshold 0) has an nnkit equal`);
      return { plan: { name, weights: [], make: () => new Activation('relu', { name }) }, out: n };
    }
    case 'Softmax': {
      const axis = own(c, 'axis');
      if (axis !== undefined && axis !== -1 && axis !== 1) fail('UNSUPPORTED_LAYER', `${where}.axis: nnkit's softmax runs over the features (axis -1); got ${show(axis)}`);
      return { plan: { name, weights: [], make: () => new Activation('softmax', { name }) }, out: n };
    }
    default:
      if (extras?.custom) {
        return fail(
          'UNSUPPORTED_LAYER',
          `${where}: layer class ${show(cls).replaceAll('"', "'")} is a custom layer, made with layer({ name: ${show(cls).replaceAll('"', "'")}, build, forward }); ` +
            'pass its factory: loadModel(source, { layers: [myLayer] }), or call registerLayer(myLayer) before loading',
        );
      }
      return fail('UNSUPPORTED_LAYER', `${where}: layer class ${show(cls)} is not supported by nnkit; supported: ${SUPPORTED}, and custom layers whose factory is passed to loadModel({ layers }) or registered with registerLayer()`);
  }
}

/**
 * The layers of a Keras `Sequential` topology as nnkit layer plans.
 *
 * @param modelTopology - model.json's `modelTopology` (a checked JSON tree)
 * @param extras - nnkit's per-layer settings by name, when nnkit wrote the file
 * @param maxElements - the largest dimension accepted (from `maxWeightBytes`)
 * @param factories - custom layers' factories given to loadModel (registered ones are found too)
 * @returns the number of input features and the plans in order
 */
export function planLayers(
  modelTopology: unknown, extras: Record<string, NnkitLayerExtras> | null, maxElements: number, factories?: readonly CustomLayerFactory[],
): { features: number; plans: LayerPlan[] } {
  let top = asObject(modelTopology, 'modelTopology');
  // Keras's HDF5 files, converted, wrap the topology as { model_config, training_config }.
  if (own(top, 'model_config') !== undefined) top = asObject(own(top, 'model_config'), 'modelTopology.model_config');
  const cls = own(top, 'class_name');
  if (cls !== 'Sequential') fail('UNSUPPORTED_MODEL', `modelTopology.class_name: nnkit loads Sequential models; got ${show(cls)}`);
  const config = own(top, 'config');
  // Old Keras wrote a Sequential's config as the layer list itself.
  const list = asArray(Array.isArray(config) ? config : own(asObject(config, 'modelTopology.config'), 'layers'), 'modelTopology.config.layers');
  if (list.length > MAX_LAYERS) invalid('modelTopology.config.layers', `has ${list.length} layers; at most ${MAX_LAYERS} are accepted`);
  const layers = list.map((l, i) => asObject(l, `modelTopology.config.layers[${i}]`));
  let features: number | undefined;
  let out = 0;
  const plans: LayerPlan[] = [];
  const names = new Set<string>();
  for (let i = 0; i < layers.length; i++) {
    const where = `modelTopology.config.layers[${i}]`;
    const layerClass = asString(own(layers[i], 'class_name'), `${where}.class_name`);
    const c = asObject(own(layers[i], 'config'), `${where}.config`);
    const name = asString(own(c, 'name'), `${where}.config.name`);
    if (name.length === 0 || name.length > 256) invalid(`${where}.config.name`, `must have 1 to 256 characters, got ${name.length}`);
    if (names.has(name)) invalid(`${where}.config.name`, `repeats the layer name ${JSON.stringify(name)}`);
    names.add(name);
    const declared = featuresOf(c, `${where}.config`, maxElements);
    if (declared !== undefined) {
      if (features === undefined && plans.length === 0) features = declared;
      else if (declared !== features) invalid(`${where}.config`, `declares ${declared} input features inside the model`);
    }
    if (layerClass === 'InputLayer') {
      if (plans.length > 0 || features === undefined) invalid(where, 'an InputLayer must come first and give the input shape');
      continue;
    }
    if (features === undefined) invalid(`${where}.config`, 'the first layer must give batch_input_shape [null, features]');
    const n = plans.length === 0 ? features : out;
    const next = i + 1 < layers.length ? layers[i + 1] : undefined;
    const step = layerStep(layerClass, c, name, n, `${where}.config`, Object.hasOwn(extras ?? {}, name) ? extras![name] : undefined, next, maxElements, factories);
    if (step.plan) plans.push(step.plan);
    out = step.out;
    if (step.consumedNext) {
      names.add(asString(own(asObject(own(next!, 'config'), `${where}.config`), 'name'), `${where}.config.name`));
      i++;
    }
  }
  if (plans.length === 0 || features === undefined) invalid('modelTopology.config.layers', 'has no layers');
  return { features, plans };
}
