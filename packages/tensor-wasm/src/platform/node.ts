// How the kernel's bytes are read from a URL in Node (file: URLs from the disk, others with fetch),
// how many cores there are, and how pool workers start (worker_threads). The package's `#platform`
// import resolves here under the `node` condition only, so browser bundles never see node: modules.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerSource } from '../worker-source';
import { fetchBytes } from './fetch-bytes';
import type { AutoThreads, PoolWorker } from './pool-worker';

export { mayBlock } from './pool-worker';
export type { AutoThreads, PoolWorker } from './pool-worker';

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

/** Node always has shared memory: `'auto'` is every core the process may use. */
export function autoThreads(): AutoThreads {
  return { threads: availableParallelism() };
}

// worker_threads runs `eval` code as a CommonJS script, where require exists.
const PROLOGUE = `const { parentPort } = require('node:worker_threads');
const onFirstMessage = (fn) => parentPort.once('message', fn);
const reply = (m) => parentPort.postMessage(m);
const exit = () => process.exit(0);`;

/** Starts a pool worker that keeps the process alive only until it has said it is ready. */
export function startWorker(): PoolWorker {
  const worker = new Worker(workerSource(PROLOGUE), { eval: true, name: 'nnkit kernel' });
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (fn) => {
      // Referenced until its one message (ready, or why not) arrives, so that init() can be awaited;
      // from then on the worker never keeps the process alive.
      worker.on('message', (m) => {
        worker.unref();
        fn(m);
      });
    },
    onExit: (fn) => {
      let told = false;
      const once = (why: string) => {
        if (!told) fn(why);
        told = true;
      };
      worker.on('error', (e) => once(`it failed: ${e.message}`));
      worker.on('exit', (code) => once(`it exited with code ${code}`));
    },
    terminate: () => worker.terminate().then(() => undefined),
  };
}
