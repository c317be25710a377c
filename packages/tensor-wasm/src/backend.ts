// Instantiates the kernel over one WebAssembly.Memory that JavaScript owns, and keeps typed views
// of it fresh after every memory.grow.
import { claimKernel, duplicateCopies, otherOwner, releaseKernel } from './copies';
import type { DType } from './dtype';
import { NnkitError } from './errors';
import { scalarWasm, simdWasm } from './generated/kernel-binaries';
import { type DTypeKernels, KERNEL_EXPORT_NAMES, type KernelExports, kernelTables } from './generated/kernel-bindings';
import { readUrl } from '#platform';

/** What {@link init} accepts: the kernel's bytes, a URL to fetch them from, or a compiled module. */
export type WasmSource = BufferSource | URL | string | WebAssembly.Module;

export interface InitOptions {
  /** Use this kernel instead of the inlined one (bytes, a URL, or a compiled module). */
  wasm?: WasmSource;
  /** Force the SIMD (true) or the scalar (false) build of the inlined kernel; default: SIMD when the engine validates it. */
  simd?: boolean;
  /** Initial memory in 64 KiB pages (default 256, 16 MiB); it grows on demand. */
  initialPages?: number;
}

export interface BackendInfo {
  /** Whether the running kernel is the SIMD build. */
  simd: boolean;
  /** Threads kernels run on (1 until a worker pool exists). */
  threads: number;
  /** Current size of the WebAssembly memory in bytes. */
  memoryBytes: number;
}

export const PAGE_BYTES = 65536;
/** wasm32 addresses 4 GiB at most. */
export const MAX_PAGES = 65536;

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
  buffer: ArrayBuffer;
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

/**
 * Instantiates the SIMD kernel (the scalar build where SIMD is missing). Idempotent: later calls
 * return at once.
 *
 * @param opts - optional kernel source, build choice and initial memory
 * @returns a promise that resolves when tensors can be created
 * @example
 * await init();
 * const x = tensor([1, 2, 3, 4], [2, 2]);
 */
export function init(opts: InitOptions = {}): Promise<void> {
  if (state) return Promise.resolve();
  if (pending) return pending;
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
    let module: WebAssembly.Module;
    try {
      module = await loadModule(opts.wasm ?? decodeBase64(useSimd ? simdWasm : scalarWasm));
    } catch (e) {
      throw new NnkitError('INIT_FAILED', `init(): the kernel failed to compile: ${(e as Error).message}`);
    }
    const memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES });
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
    } as State;
    refreshViews(s);
    state = s;
  })();
  pending.catch(() => {
    pending = null;
    releaseKernel();
  });
  return pending;
}

/** Whether {@link init} has completed. */
export function isInitialized(): boolean {
  return state !== null;
}

/** The running kernel: SIMD or scalar, threads, and the memory's current size. */
export function backendInfo(): BackendInfo {
  const s = kernelState();
  return { simd: s.simd, threads: 1, memoryBytes: s.memory.buffer.byteLength };
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
