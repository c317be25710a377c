// @thi.ng/malloc's MemPool, made correct over all of wasm32's 4 GiB. MemPool reads and writes a
// block's header (size, next) at `u32[block >> 2]`: `>>` is a signed shift, so a block at 2 GiB or
// above reads as undefined, and freeing it cuts the blocks after it out of the used list (measured
// with MemPool 6.1.150 over a 4 GiB WebAssembly.Memory: a block freed above 2^31 left the pool
// with a free block of size null and a lost used block). Its own initBlock already uses `>>>`;
// these four accessors do the same. Everything else is MemPool's, unchanged.
import { MemPool } from '@thi.ng/malloc';

/** MemPool with unsigned header addressing, and the two state fields the allocator needs. */
export class Wasm32MemPool extends MemPool {
  protected override blockSize(block: number): number {
    return this.u32[block >>> 2];
  }

  protected override setBlockSize(block: number, size: number): number {
    this.u32[block >>> 2] = size;
    return size;
  }

  protected override blockNext(block: number): number {
    return this.u32[(block >>> 2) + 1];
  }

  protected override setBlockNext(block: number, next: number): void {
    this.u32[(block >>> 2) + 1] = next;
  }

  /** The address above every block: where the next block comes from when no free block fits. */
  get heapTop(): number {
    return this.top;
  }

  /** The address (exclusive) up to which the pool may place blocks. */
  get heapEnd(): number {
    return this.end;
  }

  set heapEnd(end: number) {
    this.end = end;
  }
}
