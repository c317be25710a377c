// Both kernel builds, instantiated on memories of their own, for tests that compare them bit for bit.
import { scalarWasm, simdWasm } from '../generated/kernel-binaries';
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
