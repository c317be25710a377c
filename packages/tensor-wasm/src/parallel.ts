// Splits a kernel call whose outputs are independent per element, per row or per column over the
// worker pool: each part gets the same call with its arrays moved to its first unit and its count
// narrowed. Parts start on multiples of a grain of whole SIMD vectors, so every element goes through
// the same (vector or scalar-tail) code path as on one thread, and the bits do not depend on the
// count. A sum is never split: a column split gives each part whole columns, summed down all rows.
import { parallelPool } from './backend';
import { thresholds } from './parallel-thresholds';
import { CONTROL } from './pool-layout';
import { PARTS_PER_THREAD } from './worker-pool';

/**
 * Bytes of a column split's grain: the four vectors the column-sum kernels take at a time (16 float32
 * or 8 float64 columns, a cache line), so every part but the last runs only their widest loop.
 */
const COLUMN_GRAIN_BYTES = 64;

export interface Split {
  /** Position of the argument that holds the count of units (elements, rows or columns). */
  countAt: number;
  /** Positions of the pointer arguments to arrays laid out unit after unit (a 0 there means none). */
  pointers: readonly number[];
  /** Bytes of one unit in those arrays (an element, a row, or one column's step along a row): one number for all, or one per pointer. */
  unitBytes: number | readonly number[];
  /** Units per grain: parts start on multiples of it. */
  grain: number;
  /** Position of a scratch-pointer argument that each thread sets to its own packing space (gemm), if any. */
  scratchAt?: number;
}

/** A threshold in elements as a count of units (rows, columns) of `unitElements` elements each. */
export function unitsFor(elements: number, unitElements: number): number {
  return Math.ceil(elements / Math.max(1, unitElements));
}

/** Bytes of one unit in the array of `split.pointers[k]`. */
export function unitBytesOf(split: Split, k: number): number {
  return typeof split.unitBytes === 'number' ? split.unitBytes : split.unitBytes[k];
}

/** How much more work each thread's first part has than the later parts of a full split. */
export const FIRST_PART_WEIGHT = 3;

/**
 * Where part `p` of a split starts, as a fraction of the work. In a full split (PARTS_PER_THREAD parts
 * per thread) the first `threads` parts, the ones the threads take first (the caller part 0, worker i
 * part i + 1), get FIRST_PART_WEIGHT times the work of the others, which the threads that finish
 * first then claim. With equally fast cores each thread still does its share. When one core runs
 * slower (on these virtual machines one vCPU at a time often runs the gemm at two thirds of the
 * other's speed), the faster thread takes over more of the small parts and the op ends sooner. In
 * the benchmark MLP's epoch on one two-thread pool (AMD EPYC Zen 5, 14 interleaved rounds), the 3:1
 * split ran 1.16× as fast as equal parts for the plain model (rounds 1.02–1.41×) and 1.13× with batch
 * norm + dropout (0.89–1.39×); 2:1 and 5:1 did about as well. Which part runs where never changes
 * the bits.
 */
export function partStart(p: number, parts: number, threads: number, grains: number): number {
  const w = FIRST_PART_WEIGHT;
  // Equal parts unless the split is full and every small part gets at least two grains.
  if (parts !== threads * PARTS_PER_THREAD || grains < (w + 1) * parts) return p / parts;
  return (p <= threads ? w * p : w * threads + (p - threads)) / ((w + 1) * threads);
}

/**
 * Runs `kernel(...args)` on the calling thread, or split into parts over the pool when the call
 * has at least `minUnits` units and a pool exists.
 *
 * @param kernel - the kernel function of the calling thread
 * @param fn - its index in the pool's export list (see kernelIndex)
 * @param args - its arguments (the count and the pointers are adjusted per part; the count in this array is narrowed to the calling thread's part)
 * @param split - where the count and the pointers are
 * @param minUnits - units from which splitting pays for the hand-off
 * @returns the sum of the parts' return values (0 for a kernel that returns nothing): exact for a
 *   count, while a float sum would depend on the split (such kernels write per-unit results instead)
 */
export function runSplit(kernel: (...a: never[]) => unknown, fn: number, args: number[], split: Split, minUnits: number): number {
  const call = kernel as unknown as (...a: number[]) => number | undefined; // args hold the kernel's own argument types
  const total = args[split.countAt];
  const pool = total >= minUnits ? parallelPool() : null;
  const grains = Math.ceil(total / split.grain);
  // A few parts per thread (see worker-pool.ts), each at least half of minUnits, and no more parts
  // than the control block has claim words and argument rows for (a pool of over 128 threads).
  const parts = pool === null ? 1 : Math.min(pool.threads * PARTS_PER_THREAD, CONTROL.MAX_THREADS, grains, Math.max(2, Math.floor((2 * total) / minUnits)));
  if (pool === null || parts < 2) return call(...args) ?? 0;
  const edge = (p: number) => Math.min(total, Math.round(grains * partStart(p, parts, pool.threads, grains)) * split.grain);
  const out = pool.args;
  for (let p = 1; p < parts; p++) {
    const o = p * CONTROL.ARGS_PER_PART;
    const lo = edge(p);
    for (let i = 0; i < args.length; i++) out[o + i] = args[i];
    for (let k = 0; k < split.pointers.length; k++) {
      const at = split.pointers[k];
      if (args[at] !== 0) out[o + at] = args[at] + lo * unitBytesOf(split, k); // 0: an absent array
    }
    out[o + split.countAt] = edge(p + 1) - lo;
  }
  pool.start(fn, parts, split.scratchAt ?? -1);
  let sum: number;
  try {
    // The parts' arguments are copied above: the caller's own part narrows args in place.
    args[split.countAt] = edge(1);
    if (split.scratchAt !== undefined) args[split.scratchAt] = pool.callerScratch; // the space its stolen parts use too
    sum = call(...args) ?? 0;
  } finally {
    pool.finish();
  }
  for (let p = 1; p < parts; p++) sum += out[p * CONTROL.ARGS_PER_PART + CONTROL.RESULT];
  return sum;
}

/** Where a column-wise kernel call (see {@link runColumnSplit}) has its column count and column-indexed pointers. */
export interface ColumnSplit {
  /** Position of the argument that holds the count of columns; the row stride is a separate argument the split leaves alone. */
  countAt: number;
  /** Positions of the pointers that move with the first column: the matrices' and the per-column outputs'. */
  pointers: readonly number[];
}

/**
 * Runs a kernel that sums a [rows, columns] matrix down its rows column by column, split over ranges
 * of columns above {@link thresholds.minColumnElements}: each part sums its own columns down all
 * rows, in the order of one call, so the bits do not depend on the thread count.
 *
 * @param elementBytes - 4 (float32) or 8 (float64)
 * @param rows - the rows each column is summed over (for the threshold)
 */
export function runColumnSplit(
  kernel: (...a: never[]) => unknown, fn: number, args: number[], split: ColumnSplit, elementBytes: number, rows: number,
): void {
  const grain = COLUMN_GRAIN_BYTES / elementBytes;
  runSplit(kernel, fn, args, { ...split, unitBytes: elementBytes, grain }, unitsFor(thresholds.minColumnElements, rows));
}
