// A model file is untrusted input. JSON.parse never evaluates code, but what it returns can still
// carry `__proto__` / `constructor` keys (prototype pollution once merged anywhere), absurd nesting,
// or values of the wrong type. This module parses, then walks the whole tree once with an explicit
// stack (no recursion to overflow), and offers typed readers that look only at own properties.
import { fail } from '../errors';

/** Keys refused anywhere in model.json: they reach Object.prototype when copied carelessly. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** Deepest nesting accepted; Keras topologies nest about 6 levels. */
export const MAX_JSON_DEPTH = 64;
/** Largest model.json accepted: a layers model's topology is kilobytes; this leaves room for metadata. */
export const MAX_MODEL_JSON_BYTES = 64 * 2 ** 20;
/** Most values (objects, arrays, scalars) accepted in model.json. */
export const MAX_JSON_NODES = 1_000_000;

/** A JSON object read from a model file. */
export type JsonObject = Record<string, unknown>;

/** Throws INVALID_MODEL with the path of the offending value. */
export function invalid(where: string, message: string): never {
  return fail('INVALID_MODEL', `${where}: ${message}`);
}

/** Short text of an untrusted value for messages (never huge, never throws). */
export function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? `an array of ${value.length}` : value !== null && typeof value === 'object' ? 'an object' : String(value);
  } catch {
    text = typeof value;
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Parses model.json text or bytes. Anything that is not JSON, or not an object, is INVALID_MODEL.
 *
 * @param input - the file's text or bytes
 * @param maxBytes - refuse longer input before parsing (default {@link MAX_MODEL_JSON_BYTES})
 * @returns the parsed, checked tree
 * @example
 * const json = parseModelJson(await readFile('model.json'));
 */
export function parseModelJson(input: string | Uint8Array, maxBytes = MAX_MODEL_JSON_BYTES): JsonObject {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > maxBytes) fail('MODEL_TOO_LARGE', `model.json has ${size} bytes; the limit is ${maxBytes}`);
  let text: string;
  try {
    text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return invalid('model.json', 'is not valid UTF-8 text');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return invalid('model.json', `is not JSON (${(e as Error).message.slice(0, 120)})`);
  }
  checkJsonTree(value, 'model.json');
  return asObject(value, 'model.json');
}

/**
 * Walks a JSON-like tree: only plain objects, arrays, strings, finite numbers, booleans and null;
 * no forbidden keys; bounded depth and size. Also applied to objects handed in from memory.
 */
export function checkJsonTree(root: unknown, where: string): void {
  const stack: [unknown, number, string][] = [[root, 0, where]];
  let nodes = 0;
  while (stack.length > 0) {
    const [value, depth, path] = stack.pop()!;
    if (++nodes > MAX_JSON_NODES) invalid(where, `has more than ${MAX_JSON_NODES} values`);
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) invalid(path, `must be a finite number, got ${value}`);
      continue;
    }
    if (typeof value !== 'object') invalid(path, `must be JSON data, got a ${typeof value}`);
    if (depth >= MAX_JSON_DEPTH) invalid(path, `nests deeper than ${MAX_JSON_DEPTH} levels`);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push([value[i], depth + 1, `${path}[${i}]`]);
      continue;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) invalid(path, 'must be a plain JSON object');
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) invalid(path, `has the key ${JSON.stringify(key)}, which is refused in model files`);
      stack.push([(value as JsonObject)[key], depth + 1, `${path}.${key.length > 40 ? `${key.slice(0, 40)}…` : key}`]);
    }
  }
}

/** The value as a plain object, else INVALID_MODEL. */
export function asObject(value: unknown, where: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) invalid(where, `must be an object, got ${show(value)}`);
  return value as JsonObject;
}

/** An own property (never one inherited from Object.prototype, such as `toString`). */
export function own(o: JsonObject, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/** An array, else INVALID_MODEL. */
export function asArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) invalid(where, `must be an array, got ${show(value)}`);
  return value;
}

/** A string, else INVALID_MODEL. */
export function asString(value: unknown, where: string): string {
  if (typeof value !== 'string') invalid(where, `must be a string, got ${show(value)}`);
  return value;
}

/** A finite number, else INVALID_MODEL. */
export function asNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(where, `must be a finite number, got ${show(value)}`);
  return value;
}

/** A boolean, else INVALID_MODEL. */
export function asBoolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') invalid(where, `must be true or false, got ${show(value)}`);
  return value;
}

/** An integer in [min, max], else INVALID_MODEL. */
export function asInt(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(where, `must be an integer in [${min}, ${max}], got ${show(value)}`);
  }
  return value;
}
