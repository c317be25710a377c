// A size-class allocator over the kernel's memory: blocks are 16-byte aligned, rounded up to a
// size class, and returned to a free list of that class, so a training loop that frees and
// allocates the same shapes reuses the same blocks and the memory stops growing.
import { growTo, kernelState, MAX_PAGES, PAGE_BYTES } from './backend';
import { NnkitError } from './errors';

export const ALIGN = 16;

/** Rounds up to a class: multiples of 16 up to 256 bytes, then four classes per power of two. */
export function sizeClass(bytes: number): number {
  const n = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  if (n <= 256) return n;
  const step = 2 ** (Math.floor(Math.log2(n - 1)) - 2);
  return Math.ceil(n / step) * step;
}

const freeLists = new Map<number, number[]>();
let top = 0;
let reserved = 0;

/** Returns the byte offset of a fresh block of at least `bytes` bytes. */
export function allocate(bytes: number): number {
  const s = kernelState();
  if (top === 0) top = Math.ceil(s.heapBase / ALIGN) * ALIGN || ALIGN;
  const cls = sizeClass(bytes);
  const list = freeLists.get(cls);
  if (list && list.length > 0) return list.pop()!;
  const end = top + cls;
  if (end > MAX_PAGES * PAGE_BYTES || !growTo(end)) {
    throw new NnkitError(
      'OUT_OF_MEMORY',
      `cannot allocate ${bytes} bytes: ${top} are in use and WebAssembly memory ends at ${MAX_PAGES * PAGE_BYTES} bytes (4 GiB)`,
    );
  }
  const offset = top;
  top = end;
  reserved += cls;
  return offset;
}

/** Gives a block back to its size class's free list. */
export function release(offset: number, bytes: number): void {
  const cls = sizeClass(bytes);
  let list = freeLists.get(cls);
  if (!list) {
    list = [];
    freeLists.set(cls, list);
  }
  list.push(offset);
}

/** Bytes ever carved out of the memory (in use or on a free list). */
export function reservedBytes(): number {
  return reserved;
}
