// Browser storage: loading model.json and its weight files over fetch, and saving to / loading from
// IndexedDB in TensorFlow.js's own layout (database 'tensorflowjs', stores 'models_store' and
// 'model_info_store', keyed by the name after indexeddb://), so that `indexeddb://name` means the
// same model to nnkit and to `tf.loadLayersModel`. Responses are read with a byte cap, so a server
// cannot make the loader allocate more than the manifest promised.
import { fail } from '../errors';
import type { ModelArtifacts } from './artifacts';
import { MAX_MODEL_JSON_BYTES, parseModelJson } from './json-guard';
import { type CheckedModelFiles, checkModelJson, checkWeightBytes } from './manifest-validation';

const DATABASE_NAME = 'tensorflowjs';
const DATABASE_VERSION = 1;
const MODEL_STORE = 'models_store';
const INFO_STORE = 'model_info_store';
const SCHEME = 'indexeddb://';

/** True for `indexeddb://name`. */
export function isIndexedDbUrl(target: string): boolean {
  return target.toLowerCase().startsWith(SCHEME);
}

function keyOf(url: string): string {
  const key = url.slice(SCHEME.length);
  if (key.length === 0) fail('INVALID_ARGUMENT', `IndexedDB: ${JSON.stringify(url)} needs a model name after ${SCHEME}`);
  return key;
}

function database(): Promise<IDBDatabase> {
  const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory) fail('UNSUPPORTED_TARGET', 'IndexedDB is not available here (it is a browser API); in Node save to a directory');
  return new Promise((resolve, reject) => {
    const request = factory.open(DATABASE_NAME, DATABASE_VERSION);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(MODEL_STORE, { keyPath: 'modelPath' });
      request.result.createObjectStore(INFO_STORE, { keyPath: 'modelPath' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Saves to IndexedDB as TensorFlow.js does, both records in one transaction.
 *
 * @param url - `indexeddb://name`
 * @param artifacts - what to store
 */
export async function saveToIndexedDb(url: string, artifacts: ModelArtifacts): Promise<void> {
  const modelPath = keyOf(url);
  const { modelJson, weights } = artifacts;
  const weightSpecs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const weightData = weights.slice().buffer;
  const modelArtifacts = {
    modelTopology: modelJson.modelTopology, weightSpecs, weightData, format: modelJson.format,
    generatedBy: modelJson.generatedBy, convertedBy: modelJson.convertedBy, userDefinedMetadata: modelJson.userDefinedMetadata,
  };
  const encoder = new TextEncoder();
  const modelArtifactsInfo = {
    dateSaved: new Date(), modelTopologyType: 'JSON',
    modelTopologyBytes: encoder.encode(JSON.stringify(modelJson.modelTopology)).byteLength,
    weightSpecsBytes: encoder.encode(JSON.stringify(weightSpecs)).byteLength,
    weightDataBytes: weightData.byteLength,
  };
  const db = await database();
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction([INFO_STORE, MODEL_STORE], 'readwrite');
      tx.objectStore(INFO_STORE).put({ modelPath, modelArtifactsInfo });
      tx.objectStore(MODEL_STORE).put({ modelPath, modelArtifacts, modelArtifactsInfo });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

/**
 * The TensorFlow.js artifacts stored under `indexeddb://name` (unchecked: the loader checks them).
 *
 * @param url - `indexeddb://name`
 * @returns `{ modelTopology, weightSpecs, weightData, … }`
 */
export async function loadFromIndexedDb(url: string): Promise<unknown> {
  const modelPath = keyOf(url);
  const db = await database();
  try {
    const record = await new Promise<unknown>((resolve, reject) => {
      const request = db.transaction(MODEL_STORE, 'readonly').objectStore(MODEL_STORE).get(modelPath);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    if (record === undefined || record === null) fail('MODEL_NOT_FOUND', `loadModel(): no model ${JSON.stringify(modelPath)} in IndexedDB`);
    return (record as { modelArtifacts?: unknown }).modelArtifacts;
  } finally {
    db.close();
  }
}

async function fetchOk(fetchFn: typeof fetch, url: string, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetchFn(url);
  } catch (e) {
    return fail('FETCH_FAILED', `loadModel(): fetching ${what} ${url} failed: ${(e as Error)?.message ?? String(e)}`);
  }
  if (!response.ok) fail('MODEL_NOT_FOUND', `loadModel(): ${what} ${url} answered HTTP ${response.status}`);
  return response;
}

/** The body, refusing more than `cap` bytes (by Content-Length first, then while reading). */
async function readCapped(response: Response, cap: number, what: string): Promise<Uint8Array> {
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (announced > cap) fail('MODEL_TOO_LARGE', `loadModel(): ${what} announces ${announced} bytes; at most ${cap} are expected`);
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > cap) fail('MODEL_TOO_LARGE', `loadModel(): ${what} has ${bytes.byteLength} bytes; at most ${cap} are expected`);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel();
      fail('MODEL_TOO_LARGE', `loadModel(): ${what} sent more than ${cap} bytes, the most expected`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/**
 * Loads model.json from `url` and its weight files from the same folder.
 *
 * @param url - the URL of model.json
 * @param maxWeightBytes - the byte limit
 * @param fetchFn - the fetch to use
 * @returns the checked files
 */
export async function loadFromUrl(url: string, maxWeightBytes: number, fetchFn: typeof fetch): Promise<CheckedModelFiles> {
  const base = new URL(url, (globalThis as { location?: { href: string } }).location?.href);
  const json = parseModelJson(await readCapped(await fetchOk(fetchFn, base.href, 'model.json'), MAX_MODEL_JSON_BYTES, 'model.json'));
  const manifest = checkModelJson(json, maxWeightBytes);
  const weights = new Uint8Array(manifest.totalBytes);
  let offset = 0;
  for (const name of manifest.paths) {
    // A checked plain name resolves inside model.json's folder on the same origin.
    const part = await readCapped(await fetchOk(fetchFn, new URL(name, base).href, 'weight file'), manifest.totalBytes - offset, `weight file ${name}`);
    weights.set(part, offset);
    offset += part.byteLength;
  }
  checkWeightBytes(manifest, offset);
  return { json, manifest, weights };
}
