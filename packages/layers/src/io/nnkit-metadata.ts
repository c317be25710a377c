// What nnkit keeps in model.json beyond the Keras topology, under `userDefinedMetadata.nnkit`
// (TensorFlow.js stores that object and never interprets it): the model's dtype and seed, the
// per-layer settings Keras cannot express the same way (nnkit's initializer names, a leakyRelu
// fused into a dense layer, regularizers in the course's λ/m scaling), and, with
// `includeOptimizer`, the training state. Read back, it is untrusted like the rest of the file.
import type { DType } from '@nnkit/tensor-wasm';
import { checkInitializer, type Initializer } from '../initializers';
import type { RandomState } from '../sequential';
import { asArray, asInt, asNumber, asObject, asString, invalid, type JsonObject, own } from './json-guard';

/** The `format` tag of nnkit's metadata. */
export const NNKIT_METADATA_FORMAT = 'nnkit-layers';
/** The version written; readers refuse newer ones. */
export const NNKIT_METADATA_VERSION = 1;

/** nnkit settings of one layer, by layer name. */
export interface NnkitLayerExtras {
  /** The dense layer's initializer by its nnkit name. */
  init?: Initializer;
  /** Regularizer coefficients in the course's scaling (`l1l2({ l1, l2 })` of @nnkit/regularizers). */
  regularizer?: { l1: number; l2: number };
  /** A dense layer's fused leakyRelu, written for TensorFlow.js as a separate LeakyReLU layer of this name. */
  leakyRelu?: { alpha: number; layer: string };
  /** A custom layer's weights (names and shapes, in `liveWeights()` order) and output width. */
  custom?: { weights: { name: string; shape: number[] }[]; units: number };
}

/** The optimizer as saved: its kind and options, counters, and where its moments are in the manifest. */
export interface SavedOptimizer {
  /** `'adam'`, `'adamw'`, `'sgd'`, `'momentum'` or `'rmsprop'`. */
  className: string;
  /** The constructor options other than the learning rate. */
  config: Record<string, number | boolean | string>;
  iterations: number;
  epoch: number;
  /** The fixed learning rate, or null when a schedule set it (schedules are code and are not saved). */
  learningRate: number | null;
  /** A schedule's own state (reduceOnPlateau's counters), when it had one. */
  schedule?: unknown;
  /** Per parameter, in step order: its name and the manifest name of each moment. */
  slots: { name?: string; weights: Record<string, string> }[];
}

/** Training state saved with `includeOptimizer`. */
export interface SavedTraining {
  loss: string;
  metrics: string[];
  optimizer: SavedOptimizer;
  random: RandomState;
  epochsCompleted?: number;
}

/** `userDefinedMetadata.nnkit`. */
export interface NnkitMetadata {
  format: typeof NNKIT_METADATA_FORMAT;
  version: number;
  /** The model's own dtype (the file may store float32 values of a float64 model). */
  dtype: DType;
  seed: number;
  layers: Record<string, NnkitLayerExtras>;
  training?: SavedTraining;
}

const WORD = 2 ** 32 - 1;

function words(value: unknown, where: string): number[] {
  const w = asArray(value, where);
  if (w.length !== 4) invalid(where, `must be four 32-bit words, got ${w.length} values`);
  return w.map((x, i) => asInt(x, `${where}[${i}]`, 0, WORD));
}

function readExtras(value: unknown, where: string): NnkitLayerExtras {
  const o = asObject(value, where);
  const out: NnkitLayerExtras = {};
  if (own(o, 'init') !== undefined) out.init = checkInitializer(own(o, 'init'), where);
  const reg = own(o, 'regularizer');
  if (reg !== undefined) {
    const r = asObject(reg, `${where}.regularizer`);
    out.regularizer = { l1: asNumber(own(r, 'l1'), `${where}.regularizer.l1`), l2: asNumber(own(r, 'l2'), `${where}.regularizer.l2`) };
  }
  const leaky = own(o, 'leakyRelu');
  if (leaky !== undefined) {
    const l = asObject(leaky, `${where}.leakyRelu`);
    out.leakyRelu = { alpha: asNumber(own(l, 'alpha'), `${where}.leakyRelu.alpha`), layer: asString(own(l, 'layer'), `${where}.leakyRelu.layer`) };
  }
  const custom = own(o, 'custom');
  if (custom !== undefined) {
    const c = asObject(custom, `${where}.custom`);
    const weights = asArray(own(c, 'weights'), `${where}.custom.weights`).map((w, i) => {
      const at = `${where}.custom.weights[${i}]`;
      const wo = asObject(w, at);
      const shape = asArray(own(wo, 'shape'), `${at}.shape`).map((d, j) => asInt(d, `${at}.shape[${j}]`, 1, Number.MAX_SAFE_INTEGER));
      return { name: asString(own(wo, 'name'), `${at}.name`), shape };
    });
    out.custom = { weights, units: asInt(own(c, 'units'), `${where}.custom.units`, 1, Number.MAX_SAFE_INTEGER) };
  }
  return out;
}

function readOptimizer(value: unknown, where: string): SavedOptimizer {
  const o = asObject(value, where);
  const config: Record<string, number | boolean | string> = {};
  const cfg = asObject(own(o, 'config'), `${where}.config`);
  for (const key of Object.keys(cfg)) {
    const v = cfg[key];
    if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'string') invalid(`${where}.config.${key}`, 'must be a number, boolean or string');
    config[key] = v;
  }
  const lr = own(o, 'learningRate');
  const slots = asArray(own(o, 'slots'), `${where}.slots`).map((s, i) => {
    const slot = asObject(s, `${where}.slots[${i}]`);
    const w = asObject(own(slot, 'weights'), `${where}.slots[${i}].weights`);
    const weights: Record<string, string> = {};
    for (const key of Object.keys(w)) weights[key] = asString(w[key], `${where}.slots[${i}].weights.${key}`);
    const name = own(slot, 'name');
    return { ...(name === undefined ? {} : { name: asString(name, `${where}.slots[${i}].name`) }), weights };
  });
  return {
    className: asString(own(o, 'className'), `${where}.className`),
    config,
    iterations: asInt(own(o, 'iterations'), `${where}.iterations`, 0, Number.MAX_SAFE_INTEGER),
    epoch: asInt(own(o, 'epoch'), `${where}.epoch`, 0, Number.MAX_SAFE_INTEGER),
    learningRate: lr === null ? null : asNumber(lr, `${where}.learningRate`),
    ...(own(o, 'schedule') === undefined ? {} : { schedule: own(o, 'schedule') }),
    slots,
  };
}

function readTraining(value: unknown, where: string): SavedTraining {
  const o = asObject(value, where);
  const random = asObject(own(o, 'random'), `${where}.random`);
  const dropout = asObject(own(random, 'dropout'), `${where}.random.dropout`);
  const epochs = own(o, 'epochsCompleted');
  return {
    loss: asString(own(o, 'loss'), `${where}.loss`),
    metrics: asArray(own(o, 'metrics'), `${where}.metrics`).map((m, i) => asString(m, `${where}.metrics[${i}]`)),
    optimizer: readOptimizer(own(o, 'optimizer'), `${where}.optimizer`),
    random: {
      shuffle: words(own(random, 'shuffle'), `${where}.random.shuffle`),
      dropout: Object.fromEntries(Object.keys(dropout).map((k) => [k, words(dropout[k], `${where}.random.dropout.${k}`)])),
    },
    ...(epochs === undefined ? {} : { epochsCompleted: asInt(epochs, `${where}.epochsCompleted`, 0, Number.MAX_SAFE_INTEGER) }),
  };
}

/**
 * Reads and checks `userDefinedMetadata.nnkit`; null when the file has none (e.g. TensorFlow.js wrote it).
 *
 * @param modelJson - the checked model.json tree
 * @returns the metadata, or null
 */
export function readNnkitMetadata(modelJson: JsonObject): NnkitMetadata | null {
  const udm = own(modelJson, 'userDefinedMetadata');
  if (udm === undefined || udm === null) return null;
  const raw = own(asObject(udm, 'userDefinedMetadata'), 'nnkit');
  if (raw === undefined) return null;
  const where = 'userDefinedMetadata.nnkit';
  const o = asObject(raw, where);
  if (own(o, 'format') !== NNKIT_METADATA_FORMAT) invalid(`${where}.format`, `must be ${JSON.stringify(NNKIT_METADATA_FORMAT)}`);
  const version = asInt(own(o, 'version'), `${where}.version`, 1, Number.MAX_SAFE_INTEGER);
  if (version > NNKIT_METADATA_VERSION) invalid(`${where}.version`, `is ${version}; this nnkit reads version ${NNKIT_METADATA_VERSION} and older`);
  const dtype = own(o, 'dtype');
  if (dtype !== 'float32' && dtype !== 'float64') invalid(`${where}.dtype`, `must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`);
  const layers = asObject(own(o, 'layers'), `${where}.layers`);
  const training = own(o, 'training');
  return {
    format: NNKIT_METADATA_FORMAT,
    version,
    dtype,
    seed: asInt(own(o, 'seed'), `${where}.seed`, 0, Number.MAX_SAFE_INTEGER),
    layers: Object.fromEntries(Object.keys(layers).map((k) => [k, readExtras(layers[k], `${where}.layers.${k}`)])),
    ...(training === undefined ? {} : { training: readTraining(training, `${where}.training`) }),
  };
}
