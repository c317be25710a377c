// Instantiates the kernel over one WebAssembly.Memory that JavaScript owns, and keeps typed views
// of it fresh after every memory.grow. Where shared memory exists (Node; browsers on a cross-origin
// isolated page) it runs the threaded build on a shared memory, with a pool of workers for kernels
// that split their output (src/worker-pool.ts); elsewhere the single-threaded SIMD or scalar build.
import { allocate } from './allocator';
import { claimKernel, duplicateCopies, otherOwner, releaseKernel } from './copies';
import type { DType } from './dtype';
import { NnkitError } from './errors';
import { type DTypeKernels, KERNEL_EXPORT_NAMES, type KernelExports, kernelTables } from './generated/kernel-bindings';
import { MAX_PAGES, PAGE_BYTES } from './memory-limits';
import { applyThresholdOverride } from './parallel-thresholds';
import { CONTROL_BYTES } from './pool-layout';
import { checkThreads, defaultThreads, type ThreadsOption } from './threads-option';
import { WorkerPool } from './worker-pool';
import { autoThreads, readUrl } from '#platform';

/** What {@link init} accepts: the kernel's bytes, a URL to fetch them from, or a compiled module. */
export type WasmSource = BufferSource | URL | string | WebAssembly.Module;

export interface InitOptions {
  /** Use this kernel instead of the inlined one (bytes, a URL, or a compiled module). */
  wasm?: WasmSource;
  /** Force the SIMD (true) or the scalar (false) build of the inlined kernel; default: SIMD when the engine validates it. */
  simd?: boolean;
  /** Initial memory in 64 KiB pages (default 256, 16 MiB); it grows on demand. */
  initialPages?: number;
  /**
   * Threads kernels run on: `'auto'` (the default; 1 inside @nnkit/tuning's trial workers) is every
   * core in Node, and in browsers every hardware thread when the page is cross-origin isolated, else 1;
   * or a count from 1 to 256.
   * Calling init() again with another count resizes the pool. Results are the same bits for any count.
   */
  threads?: ThreadsOption;
}

export interface BackendInfo {
  /** Whether the running kernel is the SIMD build. */
  simd: boolean;
  /** Threads kernels run on: the calling thread and the pool's workers. */
  threads: number;
  /** Why only one thread runs though more were asked for (no shared memory, no isolation, a failed worker). */
  threadsReason?: string;
  /** Current size of the WebAssembly memory in bytes. */
  memoryBytes: number;
}

export { MAX_PAGES, PAGE_BYTES } from './memory-limits';

interface State {
  /** The typed kernel tables, built once at init so that a kernel call allocates nothing. */
  float32: DTypeKernels;
  float64: DTypeKernels;
  memory: WebAssembly.Memory;
  simd: boolean;
  heapBase: number;
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
  u8: Uint8Array;
  buffer: ArrayBufferLike;
  /** The compiled kernel, kept to start workers on it. */
  module: WebAssembly.Module;
  /** The kernel's exports, by name. */
  exports: KernelExports;
  /** Whether the memory is shared (the threaded build), so that a pool can exist. */
  shared: boolean;
  /** The worker pool, or null on one thread. */
  pool: WorkerPool | null;
  /** Byte offset of the pool's control block (0 until a pool first exists). */
  control: number;
  /** Per-thread gemm packing space of the pools (thread 0 is the calling thread). */
  scratch: number[];
  threadsReason: string | undefined;
}

let state: State | null = null;
let pending: Promise<void> | null = null;
const growListeners: Array<() => void> = [];

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The smallest module using a v128 instruction; `WebAssembly.validate` says whether SIMD exists. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

async function loadModule(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === 'string' || source instanceof URL) {
    const url = source instanceof URL ? source : new URL(source, globalThis.location?.href);
    return WebAssembly.compile(await readUrl(url));
  }
  return WebAssembly.compile(source);
}

function refreshViews(s: State): void {
  const buffer = s.memory.buffer;
  s.buffer = buffer;
  s.f32 = new Float32Array(buffer);
  s.f64 = new Float64Array(buffer);
  s.i32 = new Int32Array(buffer);
  s.u8 = new Uint8Array(buffer);
}

/** The threaded build's bytes, decoded; a lazy chunk, so that pages on one thread never load it. */
async function threadedBytes(): Promise<Uint8Array> {
  return decodeBase64((await import('./generated/kernel-threads-binary')).threadsWasm);
}

/** The single-threaded builds' bytes, a lazy chunk of their own. */
async function singleBytes(simd: boolean): Promise<Uint8Array> {
  const { simdWasm, scalarWasm } = await import('./generated/kernel-binaries');
  return decodeBase64(simd ? simdWasm : scalarWasm);
}

/** A shared memory with the largest maximum the engine reserves (4 GiB; less on small devices). */
function sharedMemory(pages: number): WebAssembly.Memory {
  for (let maximum = MAX_PAGES; ; maximum /= 2) {
    try {
      return new WebAssembly.Memory({ initial: pages, maximum: Math.max(maximum, pages), shared: true });
    } catch (e) {
      if (maximum <= pages || maximum <= 4096) throw e;
    }
  }
}

/**
 * Instantiates the SIMD kernel (the scalar build where SIMD is missing), on a shared memory with a
 * pool of worker threads where the engine has shared memory. Later calls return at once, or, with
 * another `threads`, resize the pool.
 *
 * @param opts - optional kernel source, build choice, initial memory and thread count
 * @returns a promise that resolves when tensors can be created
 * @example
 * await init();                 // every core in Node
 * await init({ threads: 1 });   // later: back to the calling thread only
 * const x = tensor([1, 2, 3, 4], [2, 2]);
 */
export function init(opts: InitOptions = {}): Promise<void> {
  try {
    if (opts.threads !== undefined) checkThreads(opts.threads);
    applyThresholdOverride(); // for benchmarks only (see parallel-thresholds.ts)
  } catch (e) {
    return Promise.reject(e);
  }
  const threads = opts.threads;
  if (state) return threads === undefined ? Promise.resolve() : setThreads(state, threads);
  if (pending) return threads === undefined ? pending : pending.then(() => setThreads(kernelState(), threads));
  pending = (async () => {
    claimKernel('init()');
    const useSimd = opts.simd ?? simdSupported();
    if (useSimd && !simdSupported()) {
      throw new NnkitError('INIT_FAILED', 'init(): simd: true was asked but this engine does not validate WebAssembly SIMD');
    }
    const pages = opts.initialPages ?? 256;
    if (!Number.isInteger(pages) || pages < 1 || pages > MAX_PAGES) {
      throw new NnkitError('INVALID_ARGUMENT', `init(): initialPages ${pages} must be an integer in [1, ${MAX_PAGES}]`);
    }
    // The threaded build whenever the engine can share memory, even for one thread, so that a later
    // init({ threads }) can start workers on the memory the tensors already live in.
    const auto = autoThreads();
    let why = auto.reason;
    if (opts.wasm !== undefined) why = 'init() was given a kernel (wasm), which runs on one thread';
    else if (!useSimd) why = 'the scalar build (no SIMD) runs on one thread';
    const shared = why === undefined;
    let module: WebAssembly.Module;
    try {
      module = await loadModule(opts.wasm ?? (shared ? await threadedBytes() : await singleBytes(useSimd)));
    } catch (e) {
      throw new NnkitError('INIT_FAILED', `init(): the kernel failed to compile: ${(e as Error).message}`);
    }
    const memory = shared ? sharedMemory(pages) : new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES });
    let instance: WebAssembly.Instance;
    try {
      instance = await WebAssembly.instantiate(module, { env: { memory } });
    } catch (e) {
      throw new NnkitError('INIT_FAILED', `init(): the kernel failed to instantiate: ${(e as Error).message}`);
    }
    const exports = instance.exports as unknown as KernelExports;
    const missing = KERNEL_EXPORT_NAMES.filter((name) => typeof exports[name] !== 'function');
    if (missing.length > 0) {
      const shown = missing.length > 4 ? `${missing.slice(0, 4).join(', ')} and ${missing.length - 4} more` : missing.join(', ');
      throw new NnkitError('INIT_FAILED', `init(): the module given is not an nnkit kernel of this version: it does not export ${shown}`);
    }
    const tables = kernelTables(exports);
    const s = {
      ...tables, memory, simd: exports.simd_enabled() === 1, heapBase: exports.heap_base(),
      module, exports, shared, pool: null, control: 0, scratch: [] as number[], threadsReason: why,
    } as State;
    refreshViews(s);
    state = s;
    try {
      await setThreads(s, threads ?? defaultThreads());
    } catch (e) {
      state = null;
      throw e;
    }
  })();
  pending.catch(() => {
    pending = null;
    releaseKernel();
  });
  return pending;
}

/** Starts, resizes or stops the worker pool so that `threads` threads run kernels. */
async function setThreads(s: State, threads: ThreadsOption): Promise<void> {
  const auto = autoThreads();
  const want = threads === 'auto' ? auto.threads : threads;
  if (!s.shared) {
    if (want > 1) s.threadsReason ??= auto.reason;
    return;
  }
  if ((s.pool?.threads ?? 1) === want && s.pool?.failure == null) return;
  const old = s.pool;
  s.pool = null;
  if (old !== null) await old.dispose();
  s.threadsReason = undefined;
  if (want === 1) return;
  if (s.control === 0) s.control = allocate(CONTROL_BYTES, 'init(): the worker pool');
  const fns = KERNEL_EXPORT_NAMES.map((name) => s.exports[name] as unknown as (...a: number[]) => unknown);
  // Each thread's packing space for gemm (the larger of the two dtypes'), kept across resizes.
  const bytes = Math.max(s.exports.gemm_scratch_bytes_f32(), s.exports.gemm_scratch_bytes_f64());
  while (s.scratch.length < want) s.scratch.push(allocate(bytes, 'init(): packing space of a thread'));
  s.pool = await WorkerPool.create(s.module, s.memory, s.control, KERNEL_EXPORT_NAMES, fns, s.scratch.slice(0, want));
}

/**
 * The worker pool when kernels may run on several threads, else null. A pool that lost a worker
 * is dropped here (kernels continue on the calling thread; backendInfo() says why).
 */
export function parallelPool(): WorkerPool | null {
  const s = state;
  if (s === null || s.pool === null) return null;
  if (s.pool.failure !== null) {
    s.threadsReason = s.pool.failure;
    void s.pool.dispose();
    s.pool = null;
    // A worker of the failed pool may still run: the next pool gets a control block and packing space of its own.
    s.control = 0;
    s.scratch = [];
    return null;
  }
  return s.pool;
}

/** Index of a kernel export in the list workers are given (a job names its function by it). */
export function kernelIndex(name: keyof KernelExports): number {
  return KERNEL_EXPORT_NAMES.indexOf(name);
}

/** A kernel's name without its dtype suffix, for the kernels built for both dtypes. */
type TwoDTypeKernel = { [K in keyof KernelExports]: K extends `${infer Base}_f32` ? Base : never }[keyof KernelExports];

/** The indices (see {@link kernelIndex}) of a kernel's float32 and float64 builds, e.g. `kernelIndexes('adam')`. */
export function kernelIndexes(base: TwoDTypeKernel): Record<DType, number> {
  return { float32: kernelIndex(`${base}_f32` as keyof KernelExports), float64: kernelIndex(`${base}_f64` as keyof KernelExports) };
}

/** Whether {@link init} has completed. */
export function isInitialized(): boolean {
  return state !== null;
}

/** The running kernel: SIMD or scalar, threads, and the memory's current size. */
export function backendInfo(): BackendInfo {
  const s = kernelState();
  const threads = parallelPool()?.threads ?? 1;
  const info: BackendInfo = { simd: s.simd, threads, memoryBytes: s.memory.buffer.byteLength };
  if (threads === 1 && s.threadsReason !== undefined) info.threadsReason = s.threadsReason;
  return info;
}

export function kernelState(): State {
  if (!state) {
    const other = otherOwner();
    if (other) throw duplicateCopies('@nnkit/tensor-wasm', other);
    throw new NnkitError('NOT_INITIALIZED', 'the kernel is not initialized: call `await init()` before creating tensors');
  }
  if (state.buffer !== state.memory.buffer) refreshViews(state);
  return state;
}

/**
 * The typed kernels of a dtype: `kernels('float32').gemm(…)` calls the export gemm_f32. The
 * signatures are generated from assembly/ (src/generated/kernel-bindings.ts), so a call with a
 * wrong name or argument count does not compile. Pointers are byte offsets into the kernel's memory.
 */
export function kernels(dtype: DType): DTypeKernels {
  const s = kernelState();
  return dtype === 'float32' ? s.float32 : s.float64;
}

/** Grows the memory so that at least `bytes` bytes exist; false when WebAssembly cannot. */
export function growTo(bytes: number): boolean {
  const s = kernelState();
  const have = s.memory.buffer.byteLength;
  if (bytes <= have) return true;
  const pages = Math.ceil((bytes - have) / PAGE_BYTES);
  if (have / PAGE_BYTES + pages > MAX_PAGES) return false;
  try {
    s.memory.grow(Math.max(pages, Math.min(have / PAGE_BYTES, MAX_PAGES - have / PAGE_BYTES)));
  } catch {
    try {
      s.memory.grow(pages);
    } catch {
      return false;
    }
  }
  refreshViews(s);
  for (const listener of growListeners) listener();
  return true;
}
