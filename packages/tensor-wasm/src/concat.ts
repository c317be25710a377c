// concat: tensors joined along one axis. Each input is `outer` blocks of (its length on the axis ×
// inner) contiguous elements, so the join is one byte copy per input and outer index.
import { activeTape, recordOp } from './autodiff/tape';
import { kernelState } from './backend';
import { bytesPerElement } from './dtype';
import { describeValue } from './describe-value';
import { NnkitError } from './errors';
import { type OutOptions, resultTensor } from './ops-common';
import { formatShape } from './shape';
import { checkTensor, emptyTensor, offsetOf, rootOf, type Tensor } from './tensor';

/**
 * Joins tensors along `axis` (negative counts from the end). They must have one dtype and equal
 * shapes except along `axis`. Differentiable: each input's gradient is its slice of d result.
 *
 * @param tensors - one or more tensors of the same rank (≥ 1)
 * @param axis - the axis to join along (default 0, the rows)
 * @returns a new tensor (or `out`) whose length on `axis` is the sum of the inputs'
 * @example
 * const xy = concat([x, y], 1); // [m, a] and [m, b] → [m, a + b]
 */
export function concat(tensors: readonly Tensor[], axis = 0, opts: OutOptions = {}): Tensor {
  const where = 'concat()';
  if (!Array.isArray(tensors as unknown) || tensors.length === 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: tensors must be a non-empty array of Tensors, got ${describeValue(tensors)}`);
  }
  for (let i = 0; i < tensors.length; i++) checkTensor(tensors[i], `tensors[${i}]`, where);
  const first: Tensor = tensors[0];
  if (first.rank === 0) {
    throw new NnkitError('INVALID_SHAPE', `${where}: tensors[0] is a scalar (shape []); concat needs at least one dimension`);
  }
  if (!Number.isInteger(axis) || axis < -first.rank || axis >= first.rank) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: axis ${String(axis)} is out of range for shape ${formatShape(first.shape)} (rank ${first.rank})`);
  }
  const a = axis < 0 ? axis + first.rank : axis;
  checkAlike(tensors, a, where);
  const lengths = tensors.map((t) => t.shape[a]);
  const shape = first.shape.map((d, i) => (i === a ? lengths.reduce((p, n) => p + n, 0) : d));
  const out = resultTensor(shape, first.dtype, opts.out, where);
  for (let i = 0; i < tensors.length; i++) {
    if (rootOf(tensors[i]) === rootOf(out)) throw new NnkitError('INVALID_ARGUMENT', `${where}: out must not be (a view of) tensors[${i}]`);
  }
  const outer = shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const bytes = bytesPerElement(first.dtype);
  const u8 = kernelState().u8;
  const rowBytes = shape[a] * inner * bytes; // one outer block of the result
  let at = 0; // byte position of the current input's part inside an outer block
  for (const t of tensors) {
    const part = t.shape[a] * inner * bytes;
    const from = offsetOf(t);
    const to = offsetOf(out) + at;
    for (let o = 0; o < outer && part > 0; o++) u8.copyWithin(to + o * rowBytes, from + o * part, from + (o + 1) * part);
    at += part;
  }
  if (activeTape !== null) {
    recordOp(where, out, tensors, (dy, needs) => {
      let start = 0;
      return tensors.map((_, i) => {
        const g = needs[i] ? sliceAxis(dy, a, start, lengths[i]) : null;
        start += lengths[i];
        return g;
      });
    });
  }
  return out;
}

/** Throws unless every tensor has the first one's dtype and shape, except along axis `a`. */
function checkAlike(tensors: readonly Tensor[], a: number, where: string): void {
  const first = tensors[0];
  const pattern = formatShape(first.shape.map((d, i) => (i === a ? '*' : d)) as unknown as number[]);
  for (let i = 1; i < tensors.length; i++) {
    const t = tensors[i];
    if (t.dtype !== first.dtype) {
      throw new NnkitError('DTYPE_MISMATCH', `${where}: tensors[${i}] is ${t.dtype} but tensors[0] is ${first.dtype}; convert it with cast()`);
    }
    const fits = t.rank === first.rank && t.shape.every((d, j) => j === a || d === first.shape[j]);
    if (!fits) {
      throw new NnkitError(
        'SHAPE_MISMATCH',
        `${where}: tensors[${i}] has shape ${formatShape(t.shape)}, tensors[0] has ${formatShape(first.shape)}; ` +
          `joining along axis ${a} needs shapes ${pattern} (equal except on the axis)`,
      );
    }
  }
}

/** The part start..start+length of `x` along axis `a`, as a new tensor (the gradient of one input). */
function sliceAxis(x: Tensor, a: number, start: number, length: number): Tensor {
  const shape = x.shape.map((d, i) => (i === a ? length : d));
  const g = emptyTensor(shape, x.dtype, 'concat()');
  const outer = shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const bytes = bytesPerElement(x.dtype);
  const rowBytes = x.shape[a] * inner * bytes;
  const part = length * inner * bytes;
  const from = offsetOf(x) + start * inner * bytes;
  const to = offsetOf(g);
  const u8 = kernelState().u8; // after the allocation, which may have grown the memory
  for (let o = 0; o < outer && part > 0; o++) u8.copyWithin(to + o * part, from + o * rowBytes, from + o * rowBytes + part);
  return g;
}
