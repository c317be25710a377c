// Fetching a kernel, the same in every runtime.

/**
 * Fetches a URL's bytes, failing on an HTTP error status.
 *
 * @param url - where the kernel is
 * @returns the response body
 * @example
 * const bytes = await fetchBytes(new URL('https://example.org/kernel.wasm'));
 */
export async function fetchBytes(url: URL): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url.href} answered ${response.status} ${response.statusText}`);
  return response.arrayBuffer();
}
