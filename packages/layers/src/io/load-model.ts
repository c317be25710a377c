// loadModel(): checked model files → a Sequential with the saved weights (and, when saved, the
// optimizer, loss and random streams). The whole plan — layers, every weight found by name with
// the right shape, no weight left over — is checked before the model allocates anything, and a
// failure after that frees what was built.
import { checkOptionKeys, describeValue, type DType } from '@nnkit/tensor-wasm';
import { CustomLayer } from '../custom-layer';
import { fail } from '../errors';
import { type Loss, type LossName, resolveLoss } from '../losses/index';
import { compileWithOwnOptimizer, Sequential } from '../sequential';
import type { LoadOptions, ModelSource } from './artifacts';
import { own } from './json-guard';
import { type CheckedModelFiles, DEFAULT_MAX_WEIGHT_BYTES, type WeightEntry } from './manifest-validation';
import { readModelSource } from './model-source';
import { readNnkitMetadata } from './nnkit-metadata';
import { restoreOptimizer } from './optimizer-state';
import { type LayerPlan, planLayers } from './topology-reader';
import { checkFiniteWeights, decodeWeight } from './weights-codec';

/** Every key of {@link LoadOptions}, for the unknown-option check. */
const LOAD_OPTION_KEYS = ['maxWeightBytes', 'dtype', 'seed', 'optimizer', 'fetch', 'allowNonFinite', 'layers', 'loss'] as const satisfies readonly (keyof LoadOptions)[];

function checkOptions(opts: LoadOptions): { maxWeightBytes: number; allowNonFinite: boolean } {
  checkOptionKeys(opts, LOAD_OPTION_KEYS, 'loadModel()');
  const max = opts.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 0) fail('INVALID_ARGUMENT', `loadModel(): maxWeightBytes must be a non-negative integer, got ${String(max)}`);
  if (opts.dtype !== undefined && opts.dtype !== 'float32' && opts.dtype !== 'float64') fail('UNKNOWN_DTYPE', `loadModel(): dtype ${JSON.stringify(opts.dtype)} is not 'float32' or 'float64'`);
  const allowNonFinite = opts.allowNonFinite ?? false;
  if (typeof allowNonFinite !== 'boolean') fail('INVALID_ARGUMENT', `loadModel(): allowNonFinite must be a boolean, got ${typeof allowNonFinite === 'string' ? `'${allowNonFinite}' (a string)` : String(allowNonFinite)}`);
  const layers = opts.layers;
  if (layers !== undefined && (!Array.isArray(layers) || layers.some((f) => typeof f !== 'function' || typeof f.className !== 'string'))) {
    fail('INVALID_ARGUMENT', `loadModel(): layers must be an array of custom layer factories made by layer({ name, build, forward }), got ${describeValue(layers)}`);
  }
  if (opts.loss !== undefined && typeof opts.loss !== 'function') {
    fail('INVALID_ARGUMENT', `loadModel(): loss must be the custom loss function (yTrue, yPred) => scalar Tensor the model was trained with, got ${describeValue(opts.loss)}`);
  }
  return { maxWeightBytes: max, allowNonFinite };
}

/** Each planned weight's manifest entry, found by `<layer>/<role>` (possibly under a model-name prefix). */
function matchWeights(plans: LayerPlan[], entries: WeightEntry[]): WeightEntry[][] {
  const byName = new Map(entries.filter((e) => e.group === 'model').map((e) => [e.name, e]));
  // Converted Keras files may prefix names with the model's name ('sequential/dense/kernel'); an index
  // by the last two segments finds those in constant time, whatever the manifest's size.
  const bySuffix = new Map<string, WeightEntry[]>();
  for (const e of byName.values()) {
    const key = e.name.split('/').slice(-2).join('/');
    if (key === e.name) continue;
    const list = bySuffix.get(key);
    if (list) list.push(e);
    else bySuffix.set(key, [e]);
  }
  const used = new Set<WeightEntry>();
  const matched = plans.map((plan) => plan.weights.map((w) => {
    const key = `${plan.name}/${w.role}`;
    let entry = byName.get(key);
    if (!entry) {
      const suffixed = bySuffix.get(key) ?? [];
      if (suffixed.length > 1) fail('INVALID_MODEL', `weightsManifest: ${suffixed.length} weights end in ${JSON.stringify(key)}; expected one`);
      entry = suffixed[0];
    }
    if (!entry || used.has(entry)) fail('INVALID_MODEL', `weightsManifest: layer ${JSON.stringify(plan.name)} needs the weight ${JSON.stringify(key)} of shape [${w.shape.join(', ')}], which the manifest does not have`);
    if (entry.shape.length !== w.shape.length || entry.shape.some((d, i) => d !== w.shape[i])) {
      fail('SHAPE_MISMATCH', `weightsManifest: ${JSON.stringify(entry.name)} has shape [${entry.shape.join(', ')}]; layer ${JSON.stringify(plan.name)} expects [${w.shape.join(', ')}]`);
    }
    used.add(entry);
    return entry;
  }));
  const extra = [...byName.values()].find((e) => !used.has(e));
  if (extra) fail('INVALID_MODEL', `weightsManifest: weight ${JSON.stringify(extra.name)} belongs to no layer of the topology`);
  return matched;
}

function buildModel(files: CheckedModelFiles, opts: LoadOptions, maxWeightBytes: number): Sequential {
  const meta = readNnkitMetadata(files.json);
  const { features, plans } = planLayers(own(files.json, 'modelTopology'), meta?.layers ?? null, Math.floor(maxWeightBytes / 4), opts.layers);
  const matched = matchWeights(plans, files.manifest.entries);
  const optimizerEntries = new Map(files.manifest.entries.filter((e) => e.group === 'optimizer').map((e) => [e.name, e]));
  const training = meta?.training;
  if (training) {
    if (training.loss === 'custom') {
      if (typeof opts.loss !== 'function') {
        fail('INVALID_ARGUMENT', "loadModel(): the model was saved with its optimizer and trained with a custom loss function, which model.json cannot hold; pass the function: loadModel(source, { loss: myLoss })");
      }
    } else {
      resolveLoss(training.loss, 'loadModel()');
    }
    for (const slot of training.optimizer.slots) {
      for (const name of Object.values(slot.weights)) if (!optimizerEntries.has(name)) fail('INVALID_MODEL', `weightsManifest: the optimizer weight ${JSON.stringify(name)} is missing`);
    }
  }
  const dtype: DType = opts.dtype ?? meta?.dtype ?? 'float32';
  const model = new Sequential(plans.map((p) => p.make()), { inputShape: [features], dtype, seed: meta?.seed ?? opts.seed });
  try {
    model.layers.forEach((layer, i) => {
      const live = layer.liveWeights();
      // A custom layer's build decides its weights: it must have made exactly those the file holds.
      if (layer instanceof CustomLayer) {
        const made = layer.weightNames.join(', ');
        const saved = plans[i].weights.map((w) => w.role).join(', ');
        if (made !== saved) fail('INVALID_MODEL', `loadModel(): ${layer.label} built the weights [${made}]; the file holds [${saved}]`);
      }
      plans[i].weights.forEach((w, j) => {
        if (live[w.index]?.shape.join() !== w.shape.join()) {
          fail('SHAPE_MISMATCH', `loadModel(): ${layer.label} built weight ${j} (${JSON.stringify(w.role)}) of shape [${live[w.index]?.shape.join(', ') ?? ''}]; the file holds [${w.shape.join(', ')}]`);
        }
        live[w.index].assign(decodeWeight(files.weights, matched[i][j]));
      });
    });
    if (training) {
      model.setRandomState(training.random);
      const optimizer = restoreOptimizer(training.optimizer, (name) => decodeWeight(files.weights, optimizerEntries.get(name)!), model.parameters(), opts.optimizer);
      const loss: LossName | Loss['fn'] = training.loss === 'custom' ? opts.loss : (training.loss as LossName);
      const compileOpts = { loss: loss!, optimizer, metrics: training.metrics as 'accuracy'[] };
      // An optimizer made here is the model's: model.dispose() frees its state. One the caller
      // passed in (opts.optimizer) stays the caller's.
      if (opts.optimizer) model.compile(compileOpts);
      else compileWithOwnOptimizer(model, compileOpts);
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/**
 * Loads a model saved by nnkit or by TensorFlow.js (`tf.LayersModel.save`, a Sequential of Dense,
 * Dropout, BatchNormalization, Activation, LeakyReLU, ReLU and Softmax layers). A model file is
 * untrusted: anything malformed, oversized or pointing outside its folder throws NnkitError
 * (`INVALID_MODEL`, `MODEL_TOO_LARGE`, `UNSAFE_PATH`, `UNKNOWN_DTYPE`, `UNSUPPORTED_LAYER`,
 * `MODEL_NOT_FOUND`, …) before anything is allocated for it; so do NaN or ±Infinity weights
 * (`NON_FINITE`) unless `allowNonFinite` is set.
 *
 * @param source - a directory or model.json path (Node), a URL of model.json, `indexeddb://name`,
 *   `{ modelJson, weights }`, TensorFlow.js artifacts, or `{ load() }`
 * @param opts - maxWeightBytes, dtype, seed, optimizer, fetch, allowNonFinite
 * @returns the model, compiled with its optimizer when it was saved with `includeOptimizer`; an
 *   optimizer restored here belongs to the model (`model.dispose()` frees it), one passed as
 *   `opts.optimizer` stays the caller's. A load that fails frees everything it allocated.
 * @example
 * const model = await loadModel('./my-model');          // Node: the folder holding model.json
 * const same = await loadModel(await model.save());      // in memory, anywhere
 */
export async function loadModel(source: ModelSource, opts: LoadOptions = {}): Promise<Sequential> {
  const { maxWeightBytes, allowNonFinite } = checkOptions(opts);
  const files = await readModelSource(source, opts, maxWeightBytes);
  if (!allowNonFinite) checkFiniteWeights(files.weights, files.manifest.entries, 'loadModel()');
  return buildModel(files, opts, maxWeightBytes);
}
