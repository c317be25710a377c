// Saving a trained model: the network in the TensorFlow.js layers-model format (model.json + the
// weight file it names, written by @nnkit/layers' model.save, loadable by loadModel and tf.loadLayersModel),
// and beside it preprocessing.json — what new inputs need before predict, and the class names.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sequential } from '@nnkit/layers';

/** What the app stores beside the model: how to normalize inputs, and the name of each output. */
export interface Preprocessing {
  /** The statistics inputs must be normalized with before predict. */
  inputNormalization: { kind: string; mean: number[]; scale: number[] };
  /** Class names, by output index. */
  classes: string[];
}

export const PREPROCESSING_FILE = 'preprocessing.json';

/**
 * Writes `model.json`, the weight file it names and `preprocessing.json` into `dir` (which must exist).
 *
 * @param model - a built model
 * @param dir - the folder
 * @param meta - input normalization and class names, needed to use the model on new data
 * @returns the paths written
 * @example
 * await saveModel(model, 'report/model', { inputNormalization: { kind: 'global', mean: [0.13], scale: [0.31] }, classes: ['0', '1'] });
 */
export async function saveModel(model: Sequential, dir: string, meta: Preprocessing): Promise<string[]> {
  // The weight file gets a new name on each save; the returned model.json names it.
  const { modelJson } = await model.save(dir);
  const preprocessing = join(dir, PREPROCESSING_FILE);
  await writeFile(preprocessing, `${JSON.stringify(meta, null, 2)}\n`);
  return [join(dir, 'model.json'), ...modelJson.weightsManifest[0].paths.map((p) => join(dir, p)), preprocessing];
}

/** Reads the preprocessing.json written by {@link saveModel}. */
export async function readPreprocessing(dir: string): Promise<Preprocessing> {
  return JSON.parse(await readFile(join(dir, PREPROCESSING_FILE), 'utf8')) as Preprocessing;
}
