// Weight values to and from the bytes of weights.bin: each weight row-major, little-endian, back to
// back in manifest order, as TensorFlow.js writes and reads them. Typed arrays use the platform's
// byte order; every platform nnkit runs on is little-endian, as WebAssembly itself is, and the
// check below turns a big-endian host into a clear error rather than silently swapped bytes.
import type { DType, Tensor } from '@nnkit/tensor-wasm';
import { fail } from '../errors';
import type { WeightSpec } from './artifacts';
import type { WeightEntry } from './manifest-validation';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function requireLittleEndian(): void {
  if (!LITTLE_ENDIAN) fail('UNSUPPORTED_PLATFORM', 'weight files are little-endian; this host is big-endian');
}

/** One weight to write: its name, values and the dtype to store them in. */
export interface WeightToEncode {
  name: string;
  values: Tensor | Float32Array | Float64Array;
  dtype: DType;
  group?: 'optimizer';
}

/**
 * The manifest entries and the concatenated bytes of `weights`, each converted to its dtype
 * (float64 → float32 rounds to nearest, as TensorFlow.js's own cast does).
 *
 * @param weights - the weights in file order
 * @returns `{ specs, bytes }`
 */
export function encodeWeights(weights: readonly WeightToEncode[]): { specs: WeightSpec[]; bytes: Uint8Array } {
  requireLittleEndian();
  const arrays = weights.map((w) => {
    const values = 'toArray' in w.values ? w.values.toArray() : w.values;
    return w.dtype === 'float32' ? (values instanceof Float32Array ? values : Float32Array.from(values)) : values instanceof Float64Array ? values : Float64Array.from(values);
  });
  const total = arrays.reduce((n, a) => n + a.byteLength, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const a of arrays) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += a.byteLength;
  }
  const specs = weights.map((w, i): WeightSpec => {
    const shape = 'toArray' in w.values ? [...w.values.shape] : [arrays[i].length];
    return { name: w.name, shape, dtype: w.dtype, ...(w.group ? { group: w.group } : {}) };
  });
  return { specs, bytes };
}

/**
 * The values of one checked manifest entry, copied out of the weight bytes (a copy, so the result
 * is aligned whatever the entry's offset).
 *
 * @param bytes - the weight files' bytes, already checked to have the manifest's total length
 * @param entry - a checked entry
 * @returns a new typed array of the entry's dtype
 */
export function decodeWeight(bytes: Uint8Array, entry: WeightEntry): Float32Array | Float64Array {
  requireLittleEndian();
  if (entry.offset + entry.byteLength > bytes.byteLength) {
    fail('INVALID_MODEL', `weights: ${JSON.stringify(entry.name)} ends at byte ${entry.offset + entry.byteLength}, past the ${bytes.byteLength} bytes present`);
  }
  const copy = bytes.slice(entry.offset, entry.offset + entry.byteLength);
  return entry.dtype === 'float32' ? new Float32Array(copy.buffer, 0, entry.size) : new Float64Array(copy.buffer, 0, entry.size);
}

/**
 * Throws NON_FINITE at the first NaN or ±Infinity among the weights, naming the weight and the
 * index: a model with one would predict NaN everywhere, and resuming training from it would fail
 * only later, far from the file. Checked before anything is allocated for the model.
 *
 * @param bytes - the weight files' bytes, already checked to have the manifest's total length
 * @param entries - the checked manifest entries
 * @param where - for messages
 */
export function checkFiniteWeights(bytes: Uint8Array, entries: readonly WeightEntry[], where: string): void {
  requireLittleEndian();
  for (const entry of entries) {
    const width = entry.dtype === 'float32' ? 4 : 8;
    const end = entry.offset + entry.byteLength;
    // A typed view needs an aligned offset (a float64 after an odd number of float32 values is not): copy then.
    const raw = (bytes.byteOffset + entry.offset) % width === 0 ? bytes.subarray(entry.offset, end) : bytes.slice(entry.offset, end);
    const values = width === 4 ? new Float32Array(raw.buffer, raw.byteOffset, entry.size) : new Float64Array(raw.buffer, raw.byteOffset, entry.size);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        fail('NON_FINITE', `${where}: weight ${JSON.stringify(entry.name)} holds ${values[i]} at index ${i} of its ${entry.size} values; expected finite numbers (pass { allowNonFinite: true } to load it anyway)`);
      }
    }
  }
}
