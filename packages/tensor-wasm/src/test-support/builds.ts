// Both kernel builds, instantiated on memories of their own, for tests that compare them bit for bit.
import { scalarWasm, simdWasm } from '../generated/kernel-binaries';

export interface RawKernel {
  exports: Record<string, (...args: number[]) => number>;
  memory: WebAssembly.Memory;
}

// Asynchronous instantiation: browsers refuse to compile large modules synchronously on the main thread.
async function instantiate(base64: string): Promise<RawKernel> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const memory = new WebAssembly.Memory({ initial: 4 });
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
  return { exports: instance.exports as RawKernel['exports'], memory };
}

/** [SIMD build, scalar build]. */
export function bothBuilds(): Promise<RawKernel[]> {
  return Promise.all([simdWasm, scalarWasm].map(instantiate));
}
