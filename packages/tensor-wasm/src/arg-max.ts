// The index of the largest entry along an axis: class ids from one-hot labels, probabilities or
// logits. The one argmax of nnkit: data's labels, metrics and layers' accuracy all call this one.
import { NnkitError } from './errors';
import { formatShape } from './shape';
import { checkTensor, type Tensor } from './tensor';

/**
 * The index of the largest entry along `axis`, the lowest index on ties (as NumPy, PyTorch and
 * TensorFlow.js choose). Indices are integers, which no Tensor dtype holds, so they come back as an
 * Int32Array in the row-major order of the shape without `axis`.
 *
 * @param x - a Tensor of rank ≥ 1 without NaN
 * @param axis - the axis to search (default -1, the last: one class id per row of `[m, k]`)
 * @returns an Int32Array with one index per slice along `axis` (one element for a Tensor `[k]`)
 * @throws NnkitError `NON_FINITE` naming the position of a NaN; `INVALID_ARGUMENT` for a bad axis;
 *   `INVALID_SHAPE` for a scalar or an empty axis
 * @example
 * argMax(tensor([0.1, 0.7, 0.2, 0.5, 0.3, 0.5], [2, 3]));     // Int32Array [1, 0] (ties: the first)
 * argMax(tensor([0.1, 0.7, 0.2, 0.5, 0.3, 0.5], [2, 3]), 0);  // Int32Array [1, 0, 1]
 */
export function argMax(x: Tensor, axis = -1): Int32Array {
  const where = 'argMax()';
  checkTensor(x, 'x', where);
  if (x.rank === 0) throw new NnkitError('INVALID_SHAPE', `${where}: x is a scalar; expected a Tensor of rank ≥ 1`);
  if (!Number.isInteger(axis) || axis < -x.rank || axis >= x.rank) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: axis ${String(axis)} is out of range for shape ${formatShape(x.shape)} (rank ${x.rank})`);
  }
  const a = axis < 0 ? axis + x.rank : axis;
  const n = x.shape[a];
  if (n === 0) throw new NnkitError('INVALID_SHAPE', `${where}: axis ${axis} of shape ${formatShape(x.shape)} is empty; it has no largest entry`);
  const outer = x.shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = x.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const v = x.toArray();
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = 0;
      for (let j = 0; j < n; j++) {
        const value = v[base + j * inner];
        if (Number.isNaN(value)) throw nanAt(x.shape, base + j * inner, where);
        // Strictly greater: on ties the first index stays.
        if (value > v[base + best * inner]) best = j;
      }
      out[o * inner + i] = best;
    }
  }
  return out;
}

function nanAt(shape: readonly number[], flat: number, where: string): NnkitError {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  const position = shape.length === 2 ? `row ${index[0]}, column ${index[1]}` : `index [${index.join(', ')}]`;
  return new NnkitError('NON_FINITE', `${where}: x has NaN at ${position}; expected numbers that can be compared`);
}
