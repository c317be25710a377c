// Moving data: transpose, clone, cast, gathering rows by index, filling.
import { allocate, release } from './allocator';
import { activeTape, checkWritable, recordOp } from './autodiff/tape';
import { kernelIndexes, kernelState, kernels } from './backend';
import { bytesPerElement, checkDType, type DType } from './dtype';
import { NnkitError } from './errors';
import { type OutOptions, resultTensor } from './ops-common';
import { runSplit, unitsFor } from './parallel';
import { thresholds } from './parallel-thresholds';
import { formatShape } from './shape';
import { checkTensor, emptyTensor, offsetOf, type Tensor } from './tensor';

const GATHER_ROWS = kernelIndexes('gather_rows');

/**
 * Permutes dimensions (default: reverses them; for a matrix, the transpose).
 * @example
 * const wT = transpose(w); // [n, m] from [m, n]
 */
export function transpose(x: Tensor, perm?: readonly number[], opts: OutOptions = {}): Tensor {
  checkTensor(x, 'x', 'transpose()');
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  const valid = p.length === x.rank && [...p].sort((a, b) => a - b).every((v, i) => v === i);
  if (!valid) {
    throw new NnkitError('INVALID_ARGUMENT', `transpose(): perm [${p.join(', ')}] is not a permutation of the ${x.rank} axes of ${formatShape(x.shape)}`);
  }
  const shape = p.map((i) => x.shape[i]);
  const out = resultTensor(shape, x.dtype, opts.out, 'transpose()');
  if (out === x) throw new NnkitError('INVALID_ARGUMENT', 'transpose(): out must not be x');
  permute(x, p, shape, out);
  if (activeTape !== null) {
    const inverse = p.map((_, i) => p.indexOf(i));
    recordOp('transpose()', out, [x], (dy) => [transpose(dy, inverse)]);
  }
  return out;
}

function permute(x: Tensor, p: readonly number[], shape: readonly number[], out: Tensor): void {
  if (x.rank === 2 && p[0] === 1) {
    const [rows, cols] = x.shape;
    kernels(x.dtype).transpose(offsetOf(x), offsetOf(out), rows, cols, 0, rows);
    return;
  }
  // General permutation: walk the output in order and read the input through permuted strides.
  const strides = new Array<number>(x.rank);
  for (let i = x.rank - 1, s = 1; i >= 0; s *= x.shape[i], i--) strides[i] = s;
  const src = x.toArray();
  const dst = new (x.dtype === 'float32' ? Float32Array : Float64Array)(x.size);
  const index = new Array<number>(x.rank).fill(0);
  for (let o = 0; o < x.size; o++) {
    let i = 0;
    for (let d = 0; d < x.rank; d++) i += index[d] * strides[p[d]];
    dst[o] = src[i];
    for (let d = x.rank - 1; d >= 0 && ++index[d] === shape[d]; d--) index[d] = 0;
  }
  out.assign(dst);
}

/** A copy with its own memory (the same dtype, or another). */
export function clone(x: Tensor, dtype?: DType): Tensor {
  checkTensor(x, 'x', 'clone()');
  const d = checkDType(dtype ?? x.dtype, 'clone()');
  if (activeTape !== null) {
    const out = cloneData(x, d);
    recordOp(d === x.dtype ? 'clone()' : 'cast()', out, [x], (dy) => [d === x.dtype ? dy : clone(dy, x.dtype)]);
    return out;
  }
  return cloneData(x, d);
}

function cloneData(x: Tensor, d: DType): Tensor {
  if (d !== x.dtype) return emptyTensor(x.shape, d, 'clone()').assign(x.toArray());
  const out = emptyTensor(x.shape, d, 'clone()');
  const s = kernelState();
  const bytes = x.size * bytesPerElement(d);
  s.u8.copyWithin(offsetOf(out), offsetOf(x), offsetOf(x) + bytes);
  return out;
}

/** A copy converted to `dtype` (float32 ↔ float64). */
export function cast(x: Tensor, dtype: DType): Tensor {
  return clone(x, dtype);
}

/**
 * Rows of `x` picked by index: out[r] = x[indices[r]]. The gather of shuffled mini-batches, and
 * an embedding lookup: its gradient adds each row of d out into row indices[r] (repeats add up).
 * @example
 * const xBatch = gatherRows(x, perm.subarray(0, 64), { out: batchBuffer });
 */
export function gatherRows(x: Tensor, indices: ArrayLike<number>, opts: OutOptions = {}): Tensor {
  checkTensor(x, 'x', 'gatherRows()');
  if (x.rank === 0) throw new NnkitError('INVALID_SHAPE', 'gatherRows(): x must have at least one dimension');
  const n = x.shape[0];
  const cols = x.size / Math.max(1, n);
  const count = indices.length;
  for (let r = 0; r < count; r++) {
    const i = indices[r];
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new NnkitError('INVALID_ARGUMENT', `gatherRows(): index ${i} at position ${r} is outside [0, ${n})`);
    }
  }
  const out = resultTensor([count, ...x.shape.slice(1)], x.dtype, opts.out, 'gatherRows()');
  if (activeTape !== null) {
    const ids = Array.from(indices); // the caller may reuse its index array before the backward pass
    recordOp('gatherRows()', out, [x], (dy) => [scatterAddRows(dy, x.shape, ids, cols)]);
  }
  if (count === 0) return out;
  const idx = allocate(count * 4);
  try {
    kernelState().i32.set(indices, idx / 4);
    // Rows are independent copies: split over the pool by output rows (the index list and out move),
    // so the reads of scattered source rows, which wait on memory, overlap on several cores.
    runSplit(
      kernels(x.dtype).gather_rows, GATHER_ROWS[x.dtype],
      [offsetOf(x), idx, offsetOf(out), count, cols],
      { countAt: 3, pointers: [1, 2], unitBytes: [4, cols * bytesPerElement(x.dtype)], grain: 1 },
      unitsFor(thresholds.minRowElements, cols),
    );
  } finally {
    release(idx, count * 4);
  }
  return out;
}

/** d x of gatherRows: zeros of x's shape, row ids[r] += dy[r] (a row picked twice gets both). */
function scatterAddRows(dy: Tensor, shape: readonly number[], ids: readonly number[], cols: number): Tensor {
  const g = fill(emptyTensor(shape, dy.dtype, 'gatherRows()'), 0);
  const k = kernels(dy.dtype);
  const rowBytes = cols * bytesPerElement(dy.dtype);
  const from = offsetOf(dy);
  const to = offsetOf(g);
  for (let r = 0; r < ids.length; r++) k.axpy(1, from + r * rowBytes, to + ids[r] * rowBytes, cols);
  return g;
}

/** Sets every element of `x` to `value`, in place. */
export function fill(x: Tensor, value: number): Tensor {
  checkTensor(x, 'x', 'fill()');
  if (typeof value !== 'number') throw new NnkitError('INVALID_ARGUMENT', `fill(): value must be a number, got ${typeof value}`);
  checkWritable(x, 'fill()');
  kernels(x.dtype).fill(offsetOf(x), x.size, value);
  return x;
}
