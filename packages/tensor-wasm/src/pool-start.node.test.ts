// A worker that never says it is ready (stuck instantiating the kernel) must not hang init(): the
// pool gives up after START_BOUND with INIT_FAILED, naming the wait, and stops every worker it started.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NnkitError } from './errors';
import type { PoolWorker } from './platform/pool-worker';
import { CONTROL_BYTES } from './pool-layout';
import { START_BOUND, WorkerPool } from './worker-pool';

const started: Array<{ posted: number; terminated: number }> = [];

vi.mock('#platform', () => ({
  mayBlock: () => true,
  startWorker: (): PoolWorker => {
    const record = { posted: 0, terminated: 0 };
    started.push(record);
    return {
      post: () => {
        record.posted++;
      },
      onMessage: () => {},
      onExit: () => {},
      terminate: async () => {
        record.terminated++;
      },
    };
  },
}));

const saved = START_BOUND.ms;
afterEach(() => {
  START_BOUND.ms = saved;
  started.length = 0;
});

describe('starting the worker pool', () => {
  it('gives up with INIT_FAILED after START_BOUND when a worker never gets ready, and terminates every worker', async () => {
    START_BOUND.ms = 200;
    const memory = new WebAssembly.Memory({ initial: Math.ceil(CONTROL_BYTES / 65536) + 1 });
    const t0 = performance.now();
    const error = await WorkerPool.create({} as WebAssembly.Module, memory, 0, [], [], [1024, 2048, 4096]).then(
      () => null,
      (e: unknown) => e,
    );
    const waited = performance.now() - t0;
    expect(error).toBeInstanceOf(NnkitError);
    expect((error as NnkitError).code).toBe('INIT_FAILED');
    expect((error as NnkitError).message).toMatch(/2 workers were not ready within 200 ms/);
    // It waited for the bound (a timer may fire a little early by rounding), not much longer.
    expect(waited).toBeGreaterThanOrEqual(190);
    expect(waited).toBeLessThan(5000);
    expect(started).toHaveLength(2);
    for (const w of started) expect(w).toEqual({ posted: 1, terminated: 1 });
  });
});
