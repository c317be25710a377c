// The allocator over the kernel's memory: @thi.ng/malloc's MemPool. It keeps an address-ordered
// list of free blocks, serves a request from the first one that fits and splits off the rest, and
// merges a freed block with its free neighbours (and with the unused top), so memory freed by
// tensors of one size serves tensors of any other. Size classes that never merged grew the memory
// by 48 MiB with nothing alive (issue 14).
//
// Above MemPool sits a pool of released blocks, keyed by their padded size: a training step frees
// and asks again for the same sizes every step, so a released block waits (still "used" to MemPool)
// for the next request of its size, which then costs a Map lookup instead of a walk of the free list.
// The pool never makes the memory grow: when no free block fits a request, the pooled blocks go back
// to MemPool (where they merge) before the memory is grown; `trimPool()` does the same on demand.
//
// MemPool's state (free list, used list, top, end) lives in the WebAssembly memory itself, in 28
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

/** Released blocks waiting for a request of their padded size (their addresses, last in first out). */
const pooled = new Map<number, number[]>();
let pooledBytes = 0;
let pooling = true;
/** Requests MemPool served (pool hits not counted): for tests that a step allocates nothing. */
let mallocCalls = 0;

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
 * @param purpose - what the block is for, named in the error (`zeros(): shape [2, 3] float64`); a
 *   function is called only to build an error message, off the hot path
 */
export function allocate(bytes: number, purposeOf: string | (() => string) = 'allocate()'): number {
  const request = Math.max(1, bytes);
  const reused = pooled.get(paddedSize(request))?.pop();
  if (reused !== undefined) {
    pooledBytes -= paddedSize(request);
    return reused;
  }
  let p = attachedPool();
  const purpose = (): string => (typeof purposeOf === 'string' ? purposeOf : purposeOf());
  if (request > MAX_BLOCK_BYTES) {
    throw new NnkitError(
      'OUT_OF_MEMORY',
      `${purpose()}: cannot allocate ${bytes} bytes: one block holds at most ${MAX_BLOCK_BYTES} bytes (2 GiB)`,
    );
  }
  mallocCalls++;
  let offset = p.malloc(request);
  if (offset === 0 && pooledBytes > 0) {
    trimPool(); // the pooled blocks merge with their free neighbours: perhaps into one that fits
    offset = p.malloc(request);
  }
  if (offset !== 0) return offset;
  // No free block fits: the block goes on top, past the memory's current end.
  const need = p.heapTop + Math.ceil((request + HEADER_BYTES) / ALIGN) * ALIGN;
  const have = kernelState().memory.buffer.byteLength;
  if (need > POOL_END_LIMIT) {
    throw new NnkitError(
      'OUT_OF_MEMORY',
      `${purpose()}: cannot allocate ${bytes} bytes: ${inUseBytes(p)} bytes are in use and WebAssembly memory ends at ${MEMORY_LIMIT} bytes (4 GiB)`,
    );
  }
  if (!growTo(need)) {
    throw new NnkitError(
      'OUT_OF_MEMORY',
      `${purpose()}: cannot allocate ${bytes} bytes: ${inUseBytes(p)} bytes are in use and the engine refused to grow WebAssembly memory from ${have} to ${need} bytes (the limit is ${MEMORY_LIMIT} bytes, 4 GiB)`,
    );
  }
  p = attachedPool();
  const grown = p.malloc(request);
  if (grown === 0) throw new Error(`allocator: no block of ${request} bytes below ${p.heapEnd} after growing to ${need} bytes`);
  return grown;
}

/**
 * Gives a block back. With `bytes` (the size it was allocated with) it waits in the pool for the
 * next request of that size; without, it goes straight back to MemPool and merges with free neighbours.
 */
export function release(offset: number, bytes?: number): void {
  if (bytes !== undefined && pooling) {
    const key = paddedSize(Math.max(1, bytes));
    let list = pooled.get(key);
    if (list === undefined) {
      list = [];
      pooled.set(key, list);
    }
    list.push(offset);
    pooledBytes += key;
    return;
  }
  if (!attachedPool().free(offset)) throw new Error(`allocator: released offset ${offset} is not a block in use`);
}

/** MemPool's block size for a request: data and header, rounded up to the alignment. */
function paddedSize(request: number): number {
  return Math.ceil((request + HEADER_BYTES) / ALIGN) * ALIGN;
}

/**
 * Gives every block waiting in the pool back to the allocator, where it merges with its free
 * neighbours, and returns their bytes (headers included). Released tensors' blocks wait there for
 * the next tensor of the same size; `memory()` does not count them. Call it after a phase whose
 * tensor sizes will not come again (nnkit calls it itself before the memory would grow).
 * @example
 * trimPool(); // e.g. after training, before a differently shaped workload
 */
export function trimPool(): number {
  const bytes = pooledBytes;
  if (bytes === 0) return 0;
  const p = attachedPool();
  for (const list of pooled.values()) {
    for (const offset of list) {
      if (!p.free(offset)) throw new Error(`allocator: pooled offset ${offset} is not a block in use`);
    }
  }
  pooled.clear();
  pooledBytes = 0;
  return bytes;
}

/** What {@link allocatorStats} reports. */
export interface AllocatorStats {
  /** Requests that reached the allocator since `init()`; requests the pool served are not counted. */
  allocations: number;
  /** Bytes (headers included) of released blocks waiting in the pool; not part of `memory()`. */
  pooledBytes: number;
}

/**
 * The allocator's counters, for checking that a training step allocates nothing after its first
 * call: `allocations` stays the same over steps that only reuse pooled blocks.
 * @example
 * const before = allocatorStats().allocations; step(); expect(allocatorStats().allocations).toBe(before);
 */
export function allocatorStats(): AllocatorStats {
  return { allocations: mallocCalls, pooledBytes };
}

/** @internal Turns the pool off (trimming it) or on again; returns the previous setting. For tests. */
export function setPooling(on: boolean): boolean {
  const previous = pooling;
  if (!on) trimPool();
  pooling = on;
  return previous;
}

/** Bytes in blocks in use, headers included. Walks the lists: for error messages, not hot paths. */
function inUseBytes(p: Wasm32MemPool): number {
  return p.stats().used.size;
}

/**
 * Bytes from the start of the heap to its top: blocks in use (pooled ones included), the free
 * blocks between them, and their headers. It falls when the highest blocks are freed; the memory itself never shrinks.
 */
export function reservedBytes(): number {
  return pool === null ? 0 : pool.heapTop - heapStart;
}
