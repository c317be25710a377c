// What the worker pool needs from a runtime's threads, the same in Node and in browsers.

/** One started worker thread. */
export interface PoolWorker {
  /** Sends the worker its one message (the kernel, the memory, its place in the pool). */
  post(message: unknown): void;
  /** Calls `fn` with every message the worker sends. */
  onMessage(fn: (message: unknown) => void): void;
  /** Calls `fn` once when the worker exits or fails outside a kernel call. */
  onExit(fn: (why: string) => void): void;
  /** Stops the worker; resolves when it no longer runs. */
  terminate(): Promise<void>;
}

/** How many threads `threads: 'auto'` means here, and why it is 1 when it is. */
export interface AutoThreads {
  threads: number;
  /** Set when shared memory or isolation is missing, so only one thread can run. */
  reason?: string;
}

/** Whether this thread may block in Atomics.wait (a browser's main thread may not). */
export function mayBlock(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}
