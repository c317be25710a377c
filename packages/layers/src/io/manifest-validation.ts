// The weights manifest decides how many bytes are read and allocated, so it is checked completely
// before any weight file is opened: plain file names only, known dtypes, non-negative integer
// shapes whose sizes are summed with overflow checks against a byte limit, unique names, and
// (once the bytes are there) a total that matches them exactly.
import type { DType } from '@nnkit/tensor-wasm';
import { fail } from '../errors';
import { asArray, asInt, asObject, asString, invalid, type JsonObject, own, show } from './json-guard';

/** Default `maxWeightBytes`: the largest weight data (and model.json) `loadModel` accepts. */
export const DEFAULT_MAX_WEIGHT_BYTES = 2 ** 30;
/** Most weights in one manifest. */
export const MAX_WEIGHT_ENTRIES = 100_000;
/** Most dimensions of one weight. */
export const MAX_RANK = 8;
/** Longest weight or file name accepted. */
export const MAX_NAME_LENGTH = 512;

/** Bytes per element of the dtypes a weight file may hold. */
export const DTYPE_BYTES: Readonly<Record<DType, number>> = { float32: 4, float64: 8 };

/** One checked weight: where its bytes are in the concatenated weight files. */
export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: DType;
  /** 'optimizer' for optimizer moments, else 'model'. */
  group: 'model' | 'optimizer';
  size: number;
  offset: number;
  byteLength: number;
}

/** A checked manifest: the files to read, in order, and the weights they hold. */
export interface CheckedManifest {
  paths: string[];
  entries: WeightEntry[];
  totalBytes: number;
}

// Letters, digits, '.', '_', '-' only: no separators, no drive letters, no URL syntax.
const PLAIN_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * A weight file name from a manifest: a plain name inside the model's folder, never a path.
 *
 * @param path - the manifest's entry
 * @param where - for messages
 * @returns the name
 */
export function checkFileName(path: unknown, where: string): string {
  if (typeof path !== 'string' || path.length === 0 || path.length > MAX_NAME_LENGTH || !PLAIN_NAME.test(path) || path === '.' || path === '..') {
    fail('UNSAFE_PATH', `${where}: weight file ${show(path)} must be a plain file name inside the model's folder (letters, digits, '.', '_', '-'), not a path`);
  }
  return path;
}

function checkShape(value: unknown, where: string, maxElements: number): { shape: number[]; size: number } {
  const dims = asArray(value, `${where}.shape`);
  if (dims.length > MAX_RANK) invalid(`${where}.shape`, `has ${dims.length} dimensions; at most ${MAX_RANK} are accepted`);
  let size = 1;
  const shape = dims.map((d, i) => {
    const n = asInt(d, `${where}.shape[${i}]`, 0, Number.POSITIVE_INFINITY);
    size = n > maxElements ? Number.POSITIVE_INFINITY : size * n;
    // Checked per dimension so the product never leaves the exact integer range.
    if (size > maxElements) fail('MODEL_TOO_LARGE', `${where}: shape [${dims.map(show).join(', ')}] has more elements than the limit of ${maxElements} allows`);
    return n;
  });
  return { shape, size };
}

/**
 * Checks `weightsManifest` against the byte limit, before anything is read or allocated.
 *
 * @param manifest - model.json's `weightsManifest`
 * @param maxWeightBytes - the largest total accepted
 * @returns the files and the weights with their byte ranges
 */
export function checkManifest(manifest: unknown, maxWeightBytes: number): CheckedManifest {
  const groups = asArray(manifest, 'weightsManifest');
  const paths: string[] = [];
  const entries: WeightEntry[] = [];
  const names = new Set<string>();
  const seenPaths = new Set<string>();
  let offset = 0;
  groups.forEach((g, gi) => {
    const group = asObject(g, `weightsManifest[${gi}]`);
    asArray(own(group, 'paths'), `weightsManifest[${gi}].paths`).forEach((p, pi) => {
      const name = checkFileName(p, `weightsManifest[${gi}].paths[${pi}]`);
      if (seenPaths.has(name)) invalid(`weightsManifest[${gi}].paths[${pi}]`, `repeats the file ${JSON.stringify(name)}`);
      seenPaths.add(name);
      paths.push(name);
    });
    const weights = asArray(own(group, 'weights'), `weightsManifest[${gi}].weights`);
    for (let wi = 0; wi < weights.length; wi++) {
      const where = `weightsManifest[${gi}].weights[${wi}]`;
      if (entries.length >= MAX_WEIGHT_ENTRIES) invalid('weightsManifest', `has more than ${MAX_WEIGHT_ENTRIES} weights`);
      const entry = checkEntry(asObject(weights[wi], where), where, maxWeightBytes);
      if (names.has(entry.name)) invalid(where, `repeats the weight name ${JSON.stringify(entry.name)}`);
      names.add(entry.name);
      entry.offset = offset;
      offset += entry.byteLength;
      if (offset > maxWeightBytes) fail('MODEL_TOO_LARGE', `weightsManifest: the weights need more than ${offset} bytes; the limit (maxWeightBytes) is ${maxWeightBytes}`);
      entries.push(entry);
    }
  });
  if (offset > 0 && paths.length === 0) invalid('weightsManifest', `lists ${offset} bytes of weights but no weight file`);
  return { paths, entries, totalBytes: offset };
}

function checkEntry(w: JsonObject, where: string, maxWeightBytes: number): WeightEntry {
  const name = asString(own(w, 'name'), `${where}.name`);
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) invalid(`${where}.name`, `must have 1 to ${MAX_NAME_LENGTH} characters, got ${name.length}`);
  const dtype = own(w, 'dtype');
  if (dtype !== 'float32' && dtype !== 'float64') {
    fail('UNKNOWN_DTYPE', `${where}: weight ${JSON.stringify(name)} has dtype ${show(dtype)}; expected 'float32' or 'float64'`);
  }
  if (own(w, 'quantization') !== undefined) {
    fail('UNKNOWN_DTYPE', `${where}: weight ${JSON.stringify(name)} is quantized; nnkit reads unquantized float32/float64 weights (convert without --quantize)`);
  }
  const group = own(w, 'group');
  if (group !== undefined && group !== 'model' && group !== 'optimizer') invalid(`${where}.group`, `must be 'model' or 'optimizer', got ${show(group)}`);
  const { shape, size } = checkShape(own(w, 'shape'), where, Math.floor(maxWeightBytes / DTYPE_BYTES[dtype]));
  return { name, shape, dtype, group: group === 'optimizer' ? 'optimizer' : 'model', size, offset: 0, byteLength: size * DTYPE_BYTES[dtype] };
}

/**
 * The weight files' total length must be exactly what the manifest describes.
 *
 * @param manifest - the checked manifest
 * @param byteLength - bytes present (or announced by a file system or server)
 */
export function checkWeightBytes(manifest: CheckedManifest, byteLength: number): void {
  if (byteLength !== manifest.totalBytes) {
    const cause = byteLength < manifest.totalBytes ? 'truncated' : 'longer than its manifest';
    invalid('weights', `${manifest.paths.join(' + ') || 'the weight data'} holds ${byteLength} bytes but the manifest describes ${manifest.totalBytes} (${cause})`);
  }
}

/** A model file whose model.json and weight bytes passed every check. */
export interface CheckedModelFiles {
  json: JsonObject;
  manifest: CheckedManifest;
  weights: Uint8Array;
}

/**
 * Checks model.json's top level: a layers model (not a graph model) with a topology and a
 * manifest within the byte limit.
 *
 * @param json - the parsed, tree-checked model.json
 * @param maxWeightBytes - the byte limit
 * @returns the checked manifest
 */
export function checkModelJson(json: JsonObject, maxWeightBytes: number): CheckedManifest {
  const format = own(json, 'format');
  if (format !== undefined && format !== 'layers-model') {
    fail('UNSUPPORTED_FORMAT', `model.json: format is ${show(format)}; nnkit loads 'layers-model' files (a graph model cannot be trained or rebuilt as layers)`);
  }
  const topology = own(json, 'modelTopology');
  if (topology === undefined || topology === null) invalid('model.json', 'has no modelTopology');
  asObject(topology, 'modelTopology');
  if (own(json, 'weightsManifest') === undefined) invalid('model.json', 'has no weightsManifest');
  return checkManifest(own(json, 'weightsManifest'), maxWeightBytes);
}
