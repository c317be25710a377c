// Where a saved model comes from, reduced to one checked form (model.json tree, manifest, weight
// bytes): a directory in Node, a URL, IndexedDB, memory, TensorFlow.js artifacts or a handler.
// Every path ends in the same checks, so no source is trusted more than a file.
import { fail } from '../errors';
import type { LoadOptions, ModelSource } from './artifacts';
import { WEIGHTS_FILE_NAME } from './artifacts';
import { isIndexedDbUrl, loadFromIndexedDb, loadFromUrl } from './browser-storage';
import { asObject, checkJsonTree, invalid, type JsonObject, own, parseModelJson } from './json-guard';
import { type CheckedModelFiles, checkModelJson, checkWeightBytes } from './manifest-validation';
import { isNode } from './runtime';

function bytesOf(value: unknown, where: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value) && value.every((v) => v instanceof ArrayBuffer)) {
    // TensorFlow.js may hand weights over as several buffers, to be read as one.
    const total = value.reduce((n: number, b: ArrayBuffer) => n + b.byteLength, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const b of value as ArrayBuffer[]) {
      out.set(new Uint8Array(b), offset);
      offset += b.byteLength;
    }
    return out;
  }
  return invalid(where, 'must be a Uint8Array or an ArrayBuffer of weight bytes');
}

/** In-memory `{ modelJson, weights }`: modelJson as text, bytes or an object. */
function fromMemory(modelJson: unknown, weightsValue: unknown, maxWeightBytes: number): CheckedModelFiles {
  let json: JsonObject;
  if (typeof modelJson === 'string' || modelJson instanceof Uint8Array) {
    json = parseModelJson(modelJson);
  } else {
    checkJsonTree(modelJson, 'modelJson');
    json = asObject(modelJson, 'modelJson');
  }
  const manifest = checkModelJson(json, maxWeightBytes);
  const weights = bytesOf(weightsValue, 'weights');
  checkWeightBytes(manifest, weights.byteLength);
  return { json, manifest, weights };
}

/** TensorFlow.js ModelArtifacts (`tf.io.withSaveHandler`, IndexedDB): one manifest group of their weightSpecs. */
function fromTfjsArtifacts(value: unknown, maxWeightBytes: number): CheckedModelFiles {
  if (value === null || typeof value !== 'object') invalid('artifacts', 'must be TensorFlow.js model artifacts');
  const a = value as Record<string, unknown>;
  const modelJson: Record<string, unknown> = {
    modelTopology: own(a, 'modelTopology') ?? null,
    weightsManifest: [{ paths: [WEIGHTS_FILE_NAME], weights: own(a, 'weightSpecs') ?? [] }],
  };
  for (const key of ['format', 'userDefinedMetadata']) if (own(a, key) !== undefined) modelJson[key] = own(a, key);
  return fromMemory(modelJson, own(a, 'weightData') ?? new Uint8Array(0), maxWeightBytes);
}

/**
 * Reads `source` into checked model files.
 *
 * @param source - see {@link ModelSource}
 * @param opts - the load options (limits, fetch)
 * @param maxWeightBytes - the checked byte limit
 * @returns model.json, its manifest and the weight bytes, all checked
 */
export async function readModelSource(source: ModelSource, opts: LoadOptions, maxWeightBytes: number): Promise<CheckedModelFiles> {
  if (typeof source === 'string') {
    if (source.length === 0) fail('INVALID_ARGUMENT', 'loadModel(): source is an empty string');
    if (isIndexedDbUrl(source)) return fromTfjsArtifacts(await loadFromIndexedDb(source), maxWeightBytes);
    if (/^https?:\/\//i.test(source) || !isNode()) {
      const fetchFn = opts.fetch ?? (globalThis as { fetch?: typeof fetch }).fetch;
      if (typeof fetchFn !== 'function') fail('UNSUPPORTED_TARGET', `loadModel(): no fetch available to load ${source}`);
      return loadFromUrl(source, maxWeightBytes, fetchFn);
    }
    const { loadFromDirectory } = await import('#node-files');
    return loadFromDirectory(source, maxWeightBytes);
  }
  if (source === null || typeof source !== 'object') {
    fail('INVALID_ARGUMENT', `loadModel(): source must be a path, a URL, 'indexeddb://name', { modelJson, weights } or { load() }, got ${String(source)}`);
  }
  if (typeof (source as { load?: unknown }).load === 'function') {
    const loaded = await (source as { load(): Promise<unknown> }).load();
    if (loaded === null || typeof loaded !== 'object') invalid('load()', 'must resolve to { modelJson, weights }');
    const l = loaded as Record<string, unknown>;
    return own(l, 'modelTopology') !== undefined ? fromTfjsArtifacts(l, maxWeightBytes) : fromMemory(own(l, 'modelJson'), own(l, 'weights'), maxWeightBytes);
  }
  if ('modelJson' in source) return fromMemory(source.modelJson, source.weights, maxWeightBytes);
  if ('modelTopology' in source) return fromTfjsArtifacts(source, maxWeightBytes);
  return fail('INVALID_ARGUMENT', 'loadModel(): an object source needs { modelJson, weights }, TensorFlow.js { modelTopology, weightSpecs, weightData } or load()');
}
