// Saving a trained model. @nnkit/layers does not have model.save()/loadModel() yet, so the app writes
// the architecture and the weights itself, in a layout modelled on TensorFlow.js's layers format so
// that switching to model.save() later changes only this file:
//   model.json  { format: 'nnkit-cli-model', formatVersion, modelTopology: { className, config },
//                 weightsManifest: [{ paths: ['weights.bin'], weights: [{ name, shape, dtype }] }],
//                 inputNormalization, classes }
//   weights.bin every weight in getWeights() order, float32 little-endian, concatenated.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sequential } from '@nnkit/layers';

/** Identifies files written by {@link saveModel}. */
export const MODEL_FORMAT = 'nnkit-cli-model';
export const MODEL_FORMAT_VERSION = 1;

/** Weight names per layer class, in the order the layer returns its weights (TensorFlow.js's names). */
const WEIGHT_NAMES: Record<string, string[]> = {
  Dense: ['kernel', 'bias'],
  BatchNormalization: ['gamma', 'beta', 'moving_mean', 'moving_variance'],
};

/** One entry of the weights manifest. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/** The JSON half of a saved model. */
export interface SavedModelJson {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  modelTopology: { className: string; config: unknown };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  /** The statistics inputs must be normalized with before predict. */
  inputNormalization: { kind: string; mean: number[]; scale: number[] };
  /** Class names, by output index. */
  classes: string[];
}

/**
 * Writes `model.json` and `weights.bin` into `dir` (which must exist).
 *
 * @param model - a built model
 * @param dir - the folder
 * @param meta - input normalization and class names, needed to use the model on new data
 * @returns the paths written
 * @example
 * await saveModel(model, 'report/model', { inputNormalization: { kind: 'global', mean: [0.13], scale: [0.31] }, classes: ['0', '1'] });
 */
export async function saveModel(model: Sequential, dir: string, meta: Pick<SavedModelJson, 'inputNormalization' | 'classes'>): Promise<string[]> {
  const specs: WeightSpec[] = [];
  const chunks: Float32Array[] = [];
  for (const layer of model.layers) {
    const names = WEIGHT_NAMES[layer.className] ?? [];
    layer.liveWeights().forEach((w, i) => {
      specs.push({ name: `${layer.name}/${names[i] ?? `weight_${i}`}`, shape: [...w.shape], dtype: 'float32' });
      chunks.push(Float32Array.from(w.toArray()));
    });
  }
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    bytes.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), at);
    at += c.byteLength;
  }
  const json: SavedModelJson = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    modelTopology: { className: model.className, config: model.getConfig() },
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
    ...meta,
  };
  const paths = [join(dir, 'model.json'), join(dir, 'weights.bin')];
  await writeFile(paths[0], `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(paths[1], bytes);
  return paths;
}

/**
 * Reads a model saved by {@link saveModel}: its JSON and each weight's values.
 * @param dir - the folder holding model.json and weights.bin
 */
export async function readSavedModel(dir: string): Promise<{ json: SavedModelJson; weights: Map<string, Float32Array> }> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as SavedModelJson;
  const bin = await readFile(join(dir, json.weightsManifest[0].paths[0]));
  const all = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  const weights = new Map<string, Float32Array>();
  let at = 0;
  for (const w of json.weightsManifest[0].weights) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    weights.set(w.name, all.subarray(at, at + n));
    at += n;
  }
  return { json, weights };
}
