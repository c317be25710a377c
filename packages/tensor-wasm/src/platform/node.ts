// How the kernel's bytes are read from a URL in Node: file: URLs from the disk, others with fetch.
// The package's `#platform` import resolves here under the `node` condition only, so browser
// bundles never see node:fs.
import { readFile } from 'node:fs/promises';
import { fetchBytes } from './fetch-bytes';

/**
 * Reads the bytes a URL names: a file: URL from the disk, any other with `fetch`.
 *
 * @param url - where the kernel is
 * @returns its bytes
 * @example
 * const bytes = await readUrl(new URL('file:///srv/kernel.wasm'));
 */
export async function readUrl(url: URL): Promise<BufferSource> {
  return url.protocol === 'file:' ? readFile(url) : fetchBytes(url);
}
