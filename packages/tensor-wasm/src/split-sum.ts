// A split kernel call that returns a float sum over its units (a cross-entropy's Σ loss) with the
// bits of one call. Partial sums per part, added up afterwards, would round differently for every
// part count; instead each part writes its units' values (f64) into a block and this thread adds
// them in unit order, from +0: the same additions as the kernel's own `total += value`.
import { allocate, release } from './allocator';
import { kernelState, parallelPool } from './backend';
import { runSplit, type Split, unitBytesOf } from './parallel';

/** Units per round of a long call: bounds the values' block (1 MiB) whatever the input's size. */
const SUM_CHUNK_UNITS = 1 << 17;

/**
 * Runs a kernel that returns Σ over its units of an f64 value and, when its last argument (after
 * `args`) is a pointer ≠ 0, also writes each unit's value there. Below `minUnits` or without a pool
 * it is one call that sums itself; otherwise rounds of at most SUM_CHUNK_UNITS units are split over
 * the pool (see {@link runSplit}) and their values summed here, in unit order.
 *
 * @param kernel - the kernel function of the calling thread
 * @param fn - its index in the pool's export list (see kernelIndex)
 * @param args - its arguments without the last one (the values' pointer)
 * @param split - where the count and the pointers are in `args`
 * @param minUnits - units from which splitting pays for the hand-off
 * @returns the kernel's sum, the same bits for any thread count
 */
export function runSplitSum(kernel: (...a: never[]) => number, fn: number, args: readonly number[], split: Split, minUnits: number): number {
  const call = kernel as unknown as (...a: number[]) => number; // args hold the kernel's own argument types
  const units = args[split.countAt];
  if (units < minUnits || parallelPool() === null) return call(...args, 0);
  const round = Math.min(units, SUM_CHUNK_UNITS);
  const bytes = round * 8;
  const values = allocate(bytes, 'the per-unit values of a split sum');
  const withValues: Split = {
    ...split,
    pointers: [...split.pointers, args.length],
    unitBytes: [...split.pointers.map((_, k) => unitBytesOf(split, k)), 8],
  };
  try {
    let sum = 0;
    for (let lo = 0; lo < units; lo += round) {
      const part = [...args, values];
      split.pointers.forEach((at, k) => {
        if (args[at] !== 0) part[at] = args[at] + lo * unitBytesOf(split, k); // 0: an absent array
      });
      const n = Math.min(round, units - lo);
      part[split.countAt] = n;
      runSplit(kernel, fn, part, withValues, minUnits);
      const view = kernelState().f64;
      for (let i = values / 8, end = i + n; i < end; i++) sum += view[i];
    }
    return sum;
  } finally {
    release(values, bytes);
  }
}
