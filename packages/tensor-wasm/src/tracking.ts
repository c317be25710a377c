// Counts live tensors and their bytes, and implements scope(): every tensor created inside a scope
// is disposed when it ends, except those the function returns.
import { NnkitError } from './errors';
import { rootOf, Tensor } from './tensor';

let liveTensors = 0;
let liveBytes = 0;
const scopes: Array<Set<Tensor>> = [];

export function track(t: Tensor, bytes: number): void {
  if (bytes > 0) {
    liveTensors++;
    liveBytes += bytes;
  }
  scopes[scopes.length - 1]?.add(t);
}

export function untrack(t: Tensor, bytes: number): void {
  if (bytes > 0) {
    liveTensors--;
    liveBytes -= bytes;
  }
  scopes[scopes.length - 1]?.delete(t);
}

/** Live memory held by tensors. */
export interface MemoryInfo {
  /** Tensors that own memory and are not disposed (views own none and are not counted). */
  tensors: number;
  /** Bytes of their elements. */
  bytes: number;
}

/**
 * Live tensors and their bytes; equal before and after a leak-free piece of work.
 * @example
 * const before = memory(); scope(() => add(a, b)); expect(memory()).toEqual(before);
 */
export function memory(): MemoryInfo {
  return { tensors: liveTensors, bytes: liveBytes };
}

function collect(value: unknown, keep: Set<unknown>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Tensor) {
    keep.add(value);
    keep.add(rootOf(value)); // a kept view needs the memory of the tensor it views
    return;
  }
  if (Array.isArray(value)) for (const v of value) collect(v, keep, seen);
  else if (value instanceof Map) for (const v of value.values()) collect(v, keep, seen);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collect(v, keep, seen);
}

/**
 * Runs `fn` and disposes every tensor it created, except the tensors found in its result (a tensor,
 * or arrays / plain objects / Maps holding tensors), which move to the enclosing scope.
 *
 * @param fn - synchronous work; an async function is refused, since its tensors outlive the call
 * @returns what `fn` returned
 * @example
 * const y = scope(() => relu(add(matmul(x, w), b)));  // the intermediate x·w is freed
 */
export function scope<T>(fn: () => T): T {
  const { result, created } = runCollecting(fn);
  if (result instanceof Promise) {
    for (const t of created) t.dispose();
    throw new NnkitError('INVALID_ARGUMENT', 'scope(): fn returned a Promise; scope() takes synchronous functions only');
  }
  const keep = new Set<unknown>();
  collect(result, keep, new Set());
  const parent = scopes[scopes.length - 1];
  for (const t of created) {
    if (keep.has(t)) parent?.add(t);
    else if (!t.isDisposed) t.dispose();
  }
  return result;
}

/** Runs `fn` with the tensors it creates collected (and freed if it throws): scope()'s and captureCreated()'s core. */
function runCollecting<T>(fn: () => T): { result: T; created: Set<Tensor> } {
  const created = new Set<Tensor>();
  scopes.push(created);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of created) t.dispose();
    throw e;
  }
  scopes.pop();
  return { result, created };
}

/**
 * @internal Runs `fn` and returns, besides its result, every tensor it created that is still alive
 * (those it disposed itself, or that a scope inside it freed, are gone). Nothing is freed when it
 * returns: the caller owns them (they also belong to the enclosing scope, as a scope's result does).
 * If `fn` throws, they are freed. For `vjp`, whose backward rules may read any of them.
 */
export function captureCreated<T>(fn: () => T): { result: T; created: Tensor[] } {
  const { result, created } = runCollecting(fn);
  const parent = scopes[scopes.length - 1];
  const alive: Tensor[] = [];
  for (const t of created) {
    if (t.isDisposed) continue;
    alive.push(t);
    parent?.add(t);
  }
  return { result, created: alive };
}

/**
 * Runs `fn` outside every scope: the tensors it creates belong to no scope and live until disposed.
 * For state that outlives the call that happens to create it first — a layer's weights built on
 * the first `predict`, an optimizer's moments on the first step, cached batch buffers.
 *
 * @example
 * this.#moments = unscoped(() => zeros(w.shape));
 */
export function unscoped<T>(fn: () => T): T {
  const suspended = scopes.splice(0);
  try {
    return fn();
  } finally {
    scopes.push(...suspended);
  }
}

/** Takes `t` out of the enclosing scope so that it outlives it. */
export function keep<T extends Tensor>(t: T): T {
  for (const s of scopes) s.delete(t);
  return t;
}
