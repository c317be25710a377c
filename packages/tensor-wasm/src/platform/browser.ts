// How the kernel's bytes are read from a URL outside Node (browsers, workers, other runtimes): with
// fetch; how many threads a page may use, and how pool workers start (Web Workers from a Blob URL).
// The package's `#platform` import resolves here unless the `node` condition is set.
import { workerSource } from '../worker-source';
import { fetchBytes } from './fetch-bytes';
import type { AutoThreads, PoolWorker } from './pool-worker';

export { mayBlock } from './pool-worker';
export type { AutoThreads, PoolWorker } from './pool-worker';

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

/** Every hardware thread when the page is cross-origin isolated (shared memory needs it), else 1. */
export function autoThreads(): AutoThreads {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number }; Worker?: unknown };
  if (typeof SharedArrayBuffer !== 'function' || g.crossOriginIsolated === false) {
    return {
      threads: 1,
      reason: 'the page is not cross-origin isolated, so it has no shared memory: serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp',
    };
  }
  if (typeof g.Worker !== 'function') return { threads: 1, reason: 'this runtime has no Web Workers' };
  return { threads: Math.max(1, g.navigator?.hardwareConcurrency ?? 1) };
}

const PROLOGUE = `const onFirstMessage = (fn) => { self.onmessage = (e) => { self.onmessage = null; fn(e.data); }; };
const reply = (m) => self.postMessage(m);
const exit = () => { self.close(); throw new Error('nnkit kernel worker stopped'); };`;

let sourceUrl: string | null = null;

/** Starts a pool worker from a Blob URL of the inlined worker code (made once per page). */
export function startWorker(): PoolWorker {
  sourceUrl ??= URL.createObjectURL(new Blob([workerSource(PROLOGUE)], { type: 'text/javascript' }));
  const worker = new Worker(sourceUrl, { name: 'nnkit kernel' });
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (fn) => worker.addEventListener('message', (e) => fn(e.data)),
    onExit: (fn) => {
      worker.addEventListener('error', (e) => fn(`it failed: ${e.message}`), { once: true });
    },
    terminate: () => {
      worker.terminate();
      return Promise.resolve();
    },
  };
}
