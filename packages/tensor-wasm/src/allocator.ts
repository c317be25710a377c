// The allocator over the kernel's memory: @thi.ng/malloc's MemPool. It keeps an address-ordered
// list of free blocks, serves a request from the first one that fits and splits off the rest, and
// merges a freed block with its free neighbours (and with the unused top), so memory freed by
// tensors of one size serves tensors of any other. Size classes that never merged grew the memory
// by 48 MiB with nothing alive (issue 14).
//
// The pool's state (free list, used list, top, end) lives in the WebAssembly memory itself, in 28
// bytes just above the kernel's static data; JavaScript holds only the pool's typed views, which are
// rebuilt whenever the memory's buffer changes (growth detaches a non-shared buffer, and a shared
// one gets a new, longer buffer object). The main thread is its only user.
import { growTo, kernelState } from './backend';
import { MAX_PAGES, PAGE_BYTES } from './memory-limits';
import { NnkitError } from './errors';
import { Wasm32MemPool } from './mem-pool';

/** Every block starts on a multiple of 16 bytes, for SIMD loads. */
export const ALIGN = 16;
/** MemPool's header in front of each block: its size and the next block's address, u32 each. */
const HEADER_BYTES = 8;
/**
 * The largest block: MemPool rounds a request with 32-bit bitwise arithmetic, exact only below
 * 2^31 (an 8 GiB request came back as a 16-byte block), so larger requests are refused up front.
 */
export const MAX_BLOCK_BYTES = 2 ** 31 - 64;
const MEMORY_LIMIT = MAX_PAGES * PAGE_BYTES;
/** MemPool stores its end in a u32, where 2^32 would read as 0: the last 16 bytes of 4 GiB stay unused. */
const POOL_END_LIMIT = MEMORY_LIMIT - ALIGN;

let pool: Wasm32MemPool | null = null;
let poolStart = 0;
let heapStart = 0;

function poolEnd(buffer: ArrayBufferLike): number {
  return Math.min(buffer.byteLength, POOL_END_LIMIT);
}

/** The pool, attached to the memory's current buffer (created on first use, after init()). */
function attachedPool(): Wasm32MemPool {
  const buffer = kernelState().memory.buffer;
  if (pool === null) {
    poolStart = Math.ceil(kernelState().heapBase / ALIGN) * ALIGN;
    pool = new Wasm32MemPool({ buf: buffer, start: poolStart, end: poolEnd(buffer), align: ALIGN });
    heapStart = pool.heapTop;
  } else if (pool.buf !== buffer) {
    // Same state (it sits in the memory), new views; then let the pool use the new pages.
    pool = new Wasm32MemPool({ buf: buffer, start: poolStart, skipInitialization: true });
    pool.heapEnd = poolEnd(buffer);
  }
  return pool;
}

/**
 * Returns the byte offset of a fresh 16-byte-aligned block of at least `bytes` bytes, growing the
 * memory when no free block fits. Throws OUT_OF_MEMORY (and changes nothing) when it cannot.
 *
 * @param bytes - size of the block
 * @param purpose - what the block is for, named in the error (`zeros(): shape [2, 3] float64`)
 */
export function allocate(bytes: number, purpose = 'allocate()'): number {
  const request = Math.max(1, bytes);
  let p = attachedPool();
  if (request > MAX_BLOCK_BYTES) {
    throw new NnkitError(
      'OUT_OF_MEMORY',
      `${purpose}: cannot allocate ${bytes} bytes: one block holds at most ${MAX_BLOCK_BYTES} bytes (2 GiB)`,
    );
  }
  const offset = p.malloc(request);
  if (offset !== 0) return offset;
  // No free block fits: the block goes on top, past the memory's current end.
  const need = p.heapTop + Math.ceil((request + HEADER_BYTES) / ALIGN) * ALIGN;
  const have = kernelState().memory.buffer.byteLength;
  if (need > POOL_END_LIMIT) {
    throw new NnkitError(
      'OUT_OF_MEMORY',
      `${purpose}: cannot allocate ${bytes} bytes: ${inUseBytes(p)} bytes are in use and WebAssembly memory ends at ${MEMORY_LIMIT} bytes (4 GiB)`,
    );
  }
  if (!growTo(need)) {
    throw new NnkitError(
      'OUT_OF_MEMORY',
      `${purpose}: cannot allocate ${bytes} bytes: ${inUseBytes(p)} bytes are in use and the engine refused to grow WebAssembly memory from ${have} to ${need} bytes (the limit is ${MEMORY_LIMIT} bytes, 4 GiB)`,
    );
  }
  p = attachedPool();
  const grown = p.malloc(request);
  if (grown === 0) throw new Error(`allocator: no block of ${request} bytes below ${p.heapEnd} after growing to ${need} bytes`);
  return grown;
}

/** Gives a block back; it merges with free neighbours. */
export function release(offset: number): void {
  if (!attachedPool().free(offset)) throw new Error(`allocator: released offset ${offset} is not a block in use`);
}

/** Bytes in blocks in use, headers included. Walks the lists: for error messages, not hot paths. */
function inUseBytes(p: Wasm32MemPool): number {
  return p.stats().used.size;
}

/**
 * Bytes from the start of the heap to its top: blocks in use, the free blocks between them, and
 * their headers. It falls when the highest blocks are freed; the memory itself never shrinks.
 */
export function reservedBytes(): number {
  return pool === null ? 0 : pool.heapTop - heapStart;
}
