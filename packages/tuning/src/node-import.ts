// Node-only modules are loaded on demand through this one door, with the specifier in a variable
// and bundler hints, so that the package's main entry bundles for the browser untouched.

/**
 * Imports a Node built-in module at run time.
 *
 * @param name - e.g. 'node:fs'
 * @returns the module namespace
 * @example
 * const fs = await nodeImport<typeof import('node:fs')>('node:fs');
 */
export async function nodeImport<T>(name: string): Promise<T> {
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as T;
}

/**
 * Whether this is Node.js (worker threads, files).
 *
 * @returns true in Node
 * @example
 * if (isNode()) { … }
 */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}
