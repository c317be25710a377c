// The shapes of a saved model, as TensorFlow.js writes them: model.json holds the Keras-style
// topology and a weights manifest; the weight files hold the values, little-endian, back to back in
// manifest order. nnkit's own extras live under `userDefinedMetadata.nnkit`, which TensorFlow.js
// keeps but never interprets.
import type { DType } from '@nnkit/tensor-wasm';
import type { CustomLayerFactory } from '../custom-layer';
import type { LossFunction } from '../losses/loss';
import type { Optimizer } from '../types';
import type { NnkitMetadata } from './nnkit-metadata';

/** One weight in a manifest. `group: 'optimizer'` marks optimizer moments, which TensorFlow.js loads only into a compiled model. */
export interface WeightSpec {
  /** `<layer name>/<role>` for the model (`dense_1/kernel`), `optimizer/<param>/<slot>` for moments. */
  name: string;
  shape: number[];
  /** float32 (what TensorFlow.js reads) or float64 (nnkit only). */
  dtype: DType;
  group?: 'model' | 'optimizer';
}

/** A group of the manifest: its weight files (concatenated in order) and the weights they hold. */
export interface WeightsManifestGroup {
  /** Plain file names next to model.json. */
  paths: string[];
  weights: WeightSpec[];
}

/** The content of model.json. */
export interface ModelJson {
  /** Keras `Sequential` config: `{ class_name, config: { name, layers }, keras_version, backend }`. */
  modelTopology: Record<string, unknown>;
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  weightsManifest: WeightsManifestGroup[];
  userDefinedMetadata?: { nnkit?: NnkitMetadata; [key: string]: unknown };
}

/** A saved model in memory: what `save()` returns and what `loadModel()` accepts anywhere. */
export interface ModelArtifacts {
  /** model.json, as an object (or, when loading, its text or bytes). */
  modelJson: ModelJson;
  /** The bytes of every weight file of the manifest, concatenated in manifest order. */
  weights: Uint8Array;
}

/** Anything that stores a saved model, e.g. a wrapper around a key-value store. */
export interface SaveHandler {
  save(artifacts: ModelArtifacts): Promise<void>;
}

/** Anything that hands back a saved model; its output is validated like a file's. */
export interface LoadHandler {
  load(): Promise<{ modelJson: unknown; weights: Uint8Array | ArrayBuffer }>;
}

/** Where `save()` writes: a directory (Node; `file://` optional), `indexeddb://name` (browser), or a handler. */
export type SaveTarget = string | SaveHandler;

/**
 * What `loadModel()` reads: a directory or model.json path (Node), an http(s) URL of model.json,
 * `indexeddb://name` (browser), an in-memory `{ modelJson, weights }`, TensorFlow.js artifacts
 * (`{ modelTopology, weightSpecs, weightData }`, e.g. from `tf.io.withSaveHandler`), or a handler.
 */
export type ModelSource =
  | string
  | { modelJson: string | Uint8Array | object; weights: Uint8Array | ArrayBuffer }
  | { modelTopology: object; weightSpecs: unknown; weightData: ArrayBuffer | ArrayBuffer[] | Uint8Array }
  | LoadHandler;

/** Options of `model.save()`. */
export interface SaveOptions {
  /**
   * Also save the compiled optimizer's state (moments, counters), the loss and the model's
   * shuffling and dropout streams, so that training resumes exactly where it stopped.
   * Default false.
   */
  includeOptimizer?: boolean;
  /**
   * dtype of the weight values in the file: 'float32' (default; what TensorFlow.js reads) or
   * 'float64' (full precision of a float64 model, nnkit only).
   */
  dtype?: DType;
  /**
   * Name of the weights file (default `weights.bin`); a plain file name. In a directory it is the base
   * of a new name on each save, `<name without .bin>-<12 hex digits>.bin`, so that a save never
   * overwrites the file the current model.json names.
   */
  weightsFileName?: string;
  /** Epochs completed so far, recorded for `fit({ initialEpoch })` when resuming. */
  epochsCompleted?: number;
}

/** Options of `loadModel()`. */
export interface LoadOptions {
  /** Refuse a model whose weights exceed this many bytes, before reading or allocating them. Default 1 GiB (model.json has its own 64 MiB limit). */
  maxWeightBytes?: number;
  /** dtype of the loaded model; default: the saved model's own dtype (float32 for TensorFlow.js files). */
  dtype?: DType;
  /** Seed of the loaded model's generator when the file has none (TensorFlow.js files); default random. */
  seed?: number;
  /**
   * An optimizer of the saved kind to restore the saved state into, instead of a new one built from
   * the saved options; required when the saved one followed a learning-rate schedule (code, not data).
   */
  optimizer?: Optimizer;
  /** `fetch` used for URLs (default: the global one), e.g. with credentials or in tests. */
  fetch?: typeof fetch;
  /**
   * Load weights that hold NaN or ±Infinity (default false: such a file throws `NON_FINITE`,
   * naming the weight and the index, since the model would predict NaN).
   */
  allowNonFinite?: boolean;
  /**
   * Factories of the custom layers the model uses (made by `layer()`), found by class name; those
   * registered with `registerLayer()` are found without it.
   */
  layers?: CustomLayerFactory[];
  /** The custom loss function the model was trained with; needed when it was saved with its optimizer (`includeOptimizer`). */
  loss?: LossFunction;
}

/** The file name `save()` gives the weights by default. */
export const WEIGHTS_FILE_NAME = 'weights.bin';
/** The model file's name. */
export const MODEL_JSON_NAME = 'model.json';
