// Both kernel builds, instantiated on memories of their own, for tests that compare them bit for bit.
import { scalarWasm, simdWasm } from '../generated/kernel-binaries';
import { bytesPerElement, type DType } from '../dtype';
import { type DTypeKernels, type KernelExports, kernelTables } from '../generated/kernel-bindings';

export interface RawKernel {
  exports: KernelExports;
  /** The typed kernel tables of this instance, as `kernels(dtype)` gives them. */
  float32: DTypeKernels;
  float64: DTypeKernels;
  memory: WebAssembly.Memory;
}

// Asynchronous instantiation: browsers refuse to compile large modules synchronously on the main thread.
async function instantiate(base64: string): Promise<RawKernel> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const memory = new WebAssembly.Memory({ initial: 4 });
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
  const exports = instance.exports as unknown as KernelExports;
  return { exports, ...kernelTables(exports), memory };
}

/** [SIMD build, scalar build]. */
export function bothBuilds(): Promise<RawKernel[]> {
  return Promise.all([simdWasm, scalarWasm].map(instantiate));
}

/**
 * Where a test may lay out its arrays in a build's memory: `base`, 64 bytes past the kernel's own
 * data, the element size of `dtype`, and a view of the whole memory as that dtype.
 */
export function heapOf(build: RawKernel, dtype: DType): { base: number; bytes: number; view: Float32Array | Float64Array } {
  const buffer = build.memory.buffer;
  return {
    base: build.exports.heap_base() + 64,
    bytes: bytesPerElement(dtype),
    view: dtype === 'float32' ? new Float32Array(buffer) : new Float64Array(buffer),
  };
}
