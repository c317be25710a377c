// Where the worker pool's control block keeps what the calling thread and the workers share: a few
// Int32 words (job, counters, one mailbox and one state word per worker) and then, per part of a
// job, the arguments of its kernel call as float64 (every kernel argument, i32, u32 offset, f32 or
// f64, converts to a float64 and back exactly). One block in the shared memory, never freed.
export const CONTROL = {
  /** The most threads a pool may have (the calling thread included), and the most parts of a job. */
  MAX_THREADS: 256,
  /** Arguments per part: the widest kernel (gemm, adam) takes 14. */
  ARGS_PER_PART: 16,
  /**
   * Position in a part's argument row where its runner writes the kernel's return value (0 for a
   * kernel that returns nothing), read by the caller after the job: kernels take at most 15 arguments.
   */
  RESULT: 15,
  /** Index (in the kernel export list) of the function the current job calls. */
  FN: 0,
  /** Parts of the current job not yet finished by workers. */
  PENDING: 1,
  /** Set to the failing part's number when a worker's kernel call threw. */
  ERROR: 2,
  /** How many times a worker polls its mailbox before it sleeps in Atomics.wait. */
  SPIN: 3,
  /** Parts of the current job (part 0 is the caller's; parts 1… go to whoever claims them first). */
  PARTS: 4,
  /** Position of the argument that gets the running thread's scratch pointer, or -1. */
  SCRATCH_AT: 5,
  /** A value of FN that makes a worker exit without finishing its part (tests of the crash path). */
  FN_CRASH: -2,
  /** First of the per-worker mailbox words: the calling thread bumps one to hand that worker a part. */
  MAILBOX: 8,
  /** First of the per-worker stop flags. */
  STOP: 8 + 256,
  /** First of the per-worker state words (STARTING, IDLE, STOPPED). */
  STATE: 8 + 512,
  STARTING: 0,
  IDLE: 1,
  STOPPED: 2,
  /**
   * First of the per-part claim words: 0 while a part waits; whoever turns it to 1 (a worker) or 2
   * (the caller, once its own part is done) runs it, so a worker the system has not scheduled yet
   * holds up at most the one part it claimed. Parts a job does not have are set to 3.
   */
  CLAIM: 8 + 768,
  /** First of the per-thread scratch pointers (thread 0 is the caller; worker i is thread i + 1), as u32. */
  SCRATCH: 8 + 1024,
  /** Int32 words before the arguments. */
  INT32_WORDS: 8 + 1280,
  /** Byte offset of the arguments (after the Int32 words, 8-aligned). */
  ARGS_BYTE_OFFSET: (8 + 1280) * 4,
} as const;

/** Bytes of the control block. */
export const CONTROL_BYTES = CONTROL.ARGS_BYTE_OFFSET + CONTROL.MAX_THREADS * CONTROL.ARGS_PER_PART * 8;
