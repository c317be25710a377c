// model.save(): the model as TensorFlow.js layers-model artifacts (model.json + a weight file) in
// memory, then handed to the target. Node's file system is reached only through a dynamic import,
// so browser bundles never load it.
import { checkOptionKeys } from '@nnkit/tensor-wasm';
import { fail } from '../errors';
import type { Sequential } from '../sequential';
import { MODEL_JSON_NAME, type ModelArtifacts, type ModelJson, type SaveOptions, type SaveTarget, WEIGHTS_FILE_NAME } from './artifacts';
import { isIndexedDbUrl, saveToIndexedDb } from './browser-storage';
import { checkFileName } from './manifest-validation';
import { kerasTopology } from './model-json';
import { NNKIT_METADATA_FORMAT, NNKIT_METADATA_VERSION, type NnkitMetadata } from './nnkit-metadata';
import { optimizerToSave } from './optimizer-state';
import { isNode } from './runtime';
import { weightRoles } from './weight-roles';
import { encodeWeights, type WeightToEncode } from './weights-codec';

/** The `generatedBy` written in model.json. */
export const GENERATED_BY = 'nnkit @nnkit/layers 0.1.0';

/** Every key of {@link SaveOptions}, for the unknown-option check. */
const SAVE_OPTION_KEYS = ['includeOptimizer', 'dtype', 'weightsFileName', 'epochsCompleted'] as const satisfies readonly (keyof SaveOptions)[];

/**
 * The saved form of a built model, in memory.
 *
 * @param model - a built model
 * @param opts - includeOptimizer, dtype, weightsFileName, epochsCompleted
 * @returns `{ modelJson, weights }`
 * @example
 * const { modelJson, weights } = modelArtifacts(model); // what model.save() writes, synchronously
 * worker.postMessage({ modelJson, weights }, [weights.buffer]);
 */
export function modelArtifacts(model: Sequential, opts: SaveOptions = {}): ModelArtifacts {
  const where = 'save()';
  checkOptionKeys(opts, SAVE_OPTION_KEYS, where);
  if (!model.built) fail('NOT_BUILT', `${where}: the model has no weights yet; pass sequential(layers, { inputShape }) or fit() first`);
  const dtype = opts.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') fail('UNKNOWN_DTYPE', `${where}: dtype ${JSON.stringify(dtype)} is not 'float32' or 'float64'`);
  const fileName = checkFileName(opts.weightsFileName ?? WEIGHTS_FILE_NAME, where);
  if (fileName === MODEL_JSON_NAME) fail('INVALID_ARGUMENT', `${where}: weightsFileName cannot be ${MODEL_JSON_NAME}`);
  const { topology, extras } = kerasTopology(model);
  const weights: WeightToEncode[] = [];
  for (const layer of model.layers) {
    const roles = weightRoles(layer);
    layer.liveWeights().forEach((w, i) => {
      weights.push({ name: `${layer.name}/${roles[i]}`, values: w, dtype });
    });
  }
  const metadata: NnkitMetadata = { format: NNKIT_METADATA_FORMAT, version: NNKIT_METADATA_VERSION, dtype: model.dtype, seed: model.seed, layers: extras };
  if (opts.includeOptimizer) {
    if (!model.loss) fail('NOT_COMPILED', `${where}: includeOptimizer needs a compiled model (model.compile({ loss, optimizer }))`);
    const { saved, weights: moments } = optimizerToSave(model.optimizer, dtype);
    weights.push(...moments);
    metadata.training = {
      loss: model.loss.name,
      metrics: model.metricFunctions.filter((m) => m.fn === null).map((m) => m.name),
      optimizer: saved,
      random: model.randomState(),
      ...(opts.epochsCompleted === undefined ? {} : { epochsCompleted: opts.epochsCompleted }),
    };
  }
  const { specs, bytes } = encodeWeights(weights);
  const modelJson: ModelJson = {
    modelTopology: topology,
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
    weightsManifest: [{ paths: [fileName], weights: specs }],
    userDefinedMetadata: { nnkit: metadata },
  };
  return { modelJson, weights: bytes };
}

/**
 * Saves `model` to `target` (or only in memory) and returns what was saved.
 *
 * @param model - a built model
 * @param target - a directory (Node), `indexeddb://name`, a handler, or undefined for memory only
 * @param opts - see {@link SaveOptions}
 * @returns the artifacts
 */
export async function saveModel(model: Sequential, target: SaveTarget | undefined, opts: SaveOptions = {}): Promise<ModelArtifacts> {
  const artifacts = modelArtifacts(model, opts);
  if (target === undefined) return artifacts;
  if (typeof target === 'object' && target !== null && typeof target.save === 'function') {
    await target.save(artifacts);
    return artifacts;
  }
  if (typeof target !== 'string' || target.length === 0) {
    fail('INVALID_ARGUMENT', `save(): target must be a directory path, 'indexeddb://name' or { save(artifacts) }, got ${String(target)}`);
  }
  if (isIndexedDbUrl(target)) {
    await saveToIndexedDb(target, artifacts);
  } else if (/^https?:\/\//i.test(target)) {
    fail('UNSUPPORTED_TARGET', `save(): nnkit does not upload models (${target}); save in memory with save() and send the { modelJson, weights } yourself`);
  } else {
    if (!isNode()) fail('UNSUPPORTED_TARGET', `save(): ${JSON.stringify(target)} is a file path, which needs Node; in a browser use 'indexeddb://name' or save() in memory`);
    const { saveToDirectory } = await import('#node-files');
    // The weight file gets a new name on each save; what is returned names the file written.
    return { modelJson: await saveToDirectory(target, artifacts), weights: artifacts.weights };
  }
  return artifacts;
}
