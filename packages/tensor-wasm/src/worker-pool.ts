// A pool of worker threads that run parts of one kernel call, on the shared memory, while the
// calling thread runs part 0. The hand-off goes through the control block (src/pool-layout.ts): the
// caller writes each part's arguments and the function, sets the pending count, opens the parts'
// claim words and bumps each worker's mailbox word; workers and then the caller claim the open
// parts, and each part's runner counts the pending word down. A job has a few parts per thread, so
// a thread the system does not schedule (more threads than cores, a loaded machine) holds up only
// the part it is in. Which thread runs a part never changes its bits.
//
// A thread blocked in a kernel never sees a worker's exit event, so every wait is bounded: when the
// workers have not finished long after the caller finished a part of the same size, the pool
// declares itself failed, stops its workers and throws WORKER_FAILED; the backend then runs on one
// thread until init() makes a new pool.
import { mayBlock, type PoolWorker, startWorker } from '#platform';
import { NnkitError } from './errors';
import { CONTROL } from './pool-layout';

/**
 * Polls of the pending word before the caller sleeps (or, where it may not sleep, keeps polling):
 * about 1–1.5 ms here, longer than a worker's part of a training step's ops, because waking from
 * Atomics.wait took 20 µs to 2 ms on these virtual machines.
 */
const CALLER_SPINS = 200000;
/**
 * Polls of a worker's mailbox before it sleeps: about 6–8 ms, longer than any gap between two split
 * ops of a training step (with 0.7 ms the worker often slept between steps, and the MLP's epoch on
 * two threads was 1.0–1.4× one thread; with this, 1.5–1.6×). An idle pool sleeps after that.
 */
const WORKER_SPINS = 1000000;

/**
 * Parts per thread of a split op: a thread the system does not schedule holds up only the part it
 * is in. Two, not more: every part of a product split by columns packs all of A (and by rows all of
 * B) for itself, and in the benchmark MLP's epoch on two threads (AMD EPYC Zen 5, 12 interleaved
 * rounds) three parts per thread ran 1.32–1.39× one thread, two 1.49–1.51×, one 1.47–1.53×.
 */
export const PARTS_PER_THREAD = 2;

/** How long the caller waits for workers at least, and per millisecond its own part took. */
export const WAIT_BOUND = { floorMs: 10000, perOwnMs: 50 };

/**
 * How long init() waits for the workers to instantiate the kernel (tens of milliseconds each here,
 * seconds on a loaded machine) before it gives up with INIT_FAILED instead of hanging.
 */
export const START_BOUND = { ms: 60000 };

export class WorkerPool {
  /** Threads kernels run on: the calling thread and the workers. */
  readonly threads: number;
  /** Each part's kernel arguments, {@link CONTROL}.ARGS_PER_PART per part (its return value at CONTROL.RESULT once done), part 0 unused. */
  readonly args: Float64Array;
  /** Why the pool stopped working (a worker exited or failed), or null while it works. */
  failure: string | null = null;
  private readonly ctl: Int32Array;
  private readonly workers: PoolWorker[];
  /** The kernel's exports by index, for parts the caller takes over. */
  private readonly fns: ReadonlyArray<(...a: number[]) => unknown>;
  private readonly blocking = mayBlock();
  private started = 0;
  private parts = 0;
  /** Parts of the previous job: their claim words are closed at the next start. */
  private opened = 1;
  private stealable = true;

  private constructor(buffer: ArrayBufferLike, control: number, workers: PoolWorker[], fns: ReadonlyArray<(...a: number[]) => unknown>) {
    this.ctl = new Int32Array(buffer, control, CONTROL.INT32_WORDS);
    this.args = new Float64Array(buffer, control + CONTROL.ARGS_BYTE_OFFSET, CONTROL.MAX_THREADS * CONTROL.ARGS_PER_PART);
    this.workers = workers;
    this.fns = fns;
    this.threads = workers.length + 1;
  }

  /**
   * Starts `threads - 1` workers on the kernel and waits until each has instantiated it.
   *
   * @param module - the threaded kernel build
   * @param memory - the shared memory the kernel runs on
   * @param control - byte offset of a zeroed control block of CONTROL_BYTES bytes
   * @param names - the kernel's export names; a job names its function by index in this list
   * @param fns - the calling thread's kernel functions, in the order of `names`
   * @param scratch - one scratch block per thread (the caller's first), for kernels that take one
   */
  static async create(
    module: WebAssembly.Module, memory: WebAssembly.Memory, control: number, names: readonly string[],
    fns: ReadonlyArray<(...a: number[]) => unknown>, scratch: readonly number[],
  ): Promise<WorkerPool> {
    const threads = scratch.length;
    const ctl = new Int32Array(memory.buffer, control, CONTROL.INT32_WORDS);
    ctl.fill(0);
    ctl[CONTROL.SPIN] = WORKER_SPINS;
    ctl.fill(3, CONTROL.CLAIM, CONTROL.CLAIM + CONTROL.MAX_THREADS);
    scratch.forEach((p, t) => {
      ctl[CONTROL.SCRATCH + t] = p;
    });
    const workers: PoolWorker[] = [];
    const ready: Array<Promise<void>> = [];
    for (let index = 0; index < threads - 1; index++) {
      const worker = startWorker();
      workers.push(worker);
      ready.push(
        new Promise<void>((resolve, reject) => {
          worker.onMessage((m) => {
            const message = m as { ready?: boolean; error?: string };
            if (message.ready) resolve();
            else reject(new Error(message.error));
          });
          worker.onExit((why) => reject(new Error(`worker ${index + 1} stopped while starting: ${why}`)));
        }),
      );
      worker.post({ module, memory, control, names, index });
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = START_BOUND.ms;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${threads - 1} workers were not ready within ${bound} ms`)), bound);
    });
    try {
      await Promise.race([Promise.all(ready), late]);
    } catch (e) {
      for (const w of workers) void w.terminate();
      throw new NnkitError('INIT_FAILED', `init(): a kernel worker did not start: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    const pool = new WorkerPool(memory.buffer, control, workers, fns);
    for (const [i, w] of workers.entries()) {
      w.onExit((why) => {
        pool.failure ??= `worker ${i + 1} stopped: ${why}`;
      });
    }
    return pool;
  }

  /** The calling thread's scratch block (for part 0 of a kernel that takes one). */
  get callerScratch(): number {
    return this.ctl[CONTROL.SCRATCH] >>> 0;
  }

  /**
   * Opens parts 1 … parts−1 of a kernel call (their arguments already in {@link args}) to the
   * workers; the caller then runs part 0 and calls {@link finish}.
   *
   * @param fn - index of the kernel export in the pool's names
   * @param parts - 2 to CONTROL.MAX_THREADS
   * @param scratchAt - position of the scratch-pointer argument (each thread puts its own), or -1
   */
  start(fn: number, parts: number, scratchAt = -1): void {
    const ctl = this.ctl;
    if (this.failure !== null) throw this.failed();
    ctl[CONTROL.FN] = fn;
    ctl[CONTROL.SCRATCH_AT] = scratchAt;
    Atomics.store(ctl, CONTROL.PARTS, parts);
    Atomics.store(ctl, CONTROL.PENDING, parts - 1);
    // Claims are opened last: a thread that claims a part then reads this job's function and arguments.
    for (let p = parts; p < this.opened; p++) Atomics.store(ctl, CONTROL.CLAIM + p, 3);
    for (let p = 1; p < parts; p++) Atomics.store(ctl, CONTROL.CLAIM + p, 0);
    this.opened = parts;
    for (let w = 0; w < Math.min(parts - 1, this.workers.length); w++) {
      Atomics.add(ctl, CONTROL.MAILBOX + w, 1);
      Atomics.notify(ctl, CONTROL.MAILBOX + w, 1);
    }
    this.parts = parts;
    this.stealable = true;
    this.started = performance.now();
  }

  /** Waits (bounded) until every worker's part is done; throws WORKER_FAILED when one failed or stopped. */
  finish(): void {
    const ctl = this.ctl;
    // Parts no worker has claimed yet (workers not scheduled by the system, or asleep) run here.
    const scratchAt = ctl[CONTROL.SCRATCH_AT];
    for (let p = this.parts - 1; this.stealable && p >= 1; p--) {
      if (Atomics.compareExchange(ctl, CONTROL.CLAIM + p, 0, 2) !== 0) continue;
      const a = this.args;
      const o = p * CONTROL.ARGS_PER_PART;
      if (scratchAt >= 0) a[o + scratchAt] = this.callerScratch;
      const result = this.fns[ctl[CONTROL.FN]](a[o], a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5], a[o + 6], a[o + 7], a[o + 8], a[o + 9],
        a[o + 10], a[o + 11], a[o + 12], a[o + 13], a[o + 14], a[o + 15]);
      a[o + CONTROL.RESULT] = result === undefined ? 0 : Number(result);
      Atomics.sub(ctl, CONTROL.PENDING, 1);
    }
    let left = Atomics.load(ctl, CONTROL.PENDING);
    for (let i = 0; left !== 0 && i < CALLER_SPINS; i++) left = Atomics.load(ctl, CONTROL.PENDING);
    if (left !== 0) {
      const now = performance.now();
      const deadline = now + WAIT_BOUND.floorMs + WAIT_BOUND.perOwnMs * (now - this.started);
      while (left !== 0) {
        const remaining = deadline - performance.now();
        if (remaining <= 0 || this.failure !== null) {
          this.failure ??= `${left} of ${this.parts - 1} workers did not finish their part within ${Math.round(deadline - now)} ms (a worker stopped or hangs)`;
          throw this.failed();
        }
        if (this.blocking) Atomics.wait(ctl, CONTROL.PENDING, left, Math.min(remaining, 100));
        left = Atomics.load(ctl, CONTROL.PENDING);
      }
    }
    const part = Atomics.load(ctl, CONTROL.ERROR);
    if (part !== 0) {
      this.failure = `the kernel call of part ${part} threw in its worker`;
      throw this.failed();
    }
  }

  /**
   * Stops every worker (they exit at their next wake-up; terminate makes sure). The control block
   * may be reused once the promise resolves: no worker of this pool reads it any more.
   */
  dispose(): Promise<void> {
    for (let w = 0; w < this.workers.length; w++) {
      Atomics.store(this.ctl, CONTROL.STOP + w, 1);
      Atomics.add(this.ctl, CONTROL.MAILBOX + w, 1);
      Atomics.notify(this.ctl, CONTROL.MAILBOX + w, 1);
    }
    return Promise.all(this.workers.map((w) => w.terminate())).then(() => undefined);
  }

  /** Makes worker `index` (0-based) exit at its next part without finishing it: for tests of the failure path. */
  crashWorkerForTest(index: number): void {
    this.ctl[CONTROL.FN] = CONTROL.FN_CRASH;
    Atomics.store(this.ctl, CONTROL.PARTS, 2);
    Atomics.store(this.ctl, CONTROL.PENDING, 1);
    Atomics.store(this.ctl, CONTROL.CLAIM + 1, 0);
    this.opened = Math.max(this.opened, 2);
    this.stealable = false;
    Atomics.add(this.ctl, CONTROL.MAILBOX + index, 1);
    Atomics.notify(this.ctl, CONTROL.MAILBOX + index, 1);
    this.parts = 2;
    this.started = performance.now();
  }

  private failed(): NnkitError {
    void this.dispose();
    return new NnkitError(
      'WORKER_FAILED',
      `a kernel worker failed: ${this.failure}; the op's result is not usable, and kernels now run on the calling thread only (call init({ threads }) to start a new pool)`,
    );
  }
}
