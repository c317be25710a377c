// Which runtime the code runs in decides what a string target means: a directory in Node, a URL
// in a browser.

/**
 * True in Node, where a string that is not a URL names a directory.
 *
 * @returns whether `process.versions.node` exists
 * @example
 * if (isNode()) { const { saveToDirectory } = await import('#node-files'); }
 */
export function isNode(): boolean {
  return typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
}
