// How the kernel's bytes are read from a URL outside Node (browsers, workers, other runtimes):
// with fetch. The package's `#platform` import resolves here unless the `node` condition is set.
import { fetchBytes } from './fetch-bytes';

/**
 * Reads the bytes a URL names with `fetch`.
 *
 * @param url - where the kernel is
 * @returns its bytes
 * @example
 * const bytes = await readUrl(new URL('/kernel.wasm', location.href));
 */
export async function readUrl(url: URL): Promise<BufferSource> {
  return fetchBytes(url);
}
