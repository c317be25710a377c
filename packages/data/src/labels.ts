// Labels as the data functions accept them, and one-hot encoding (argmax is tensor-wasm's argMax).
import { argMax, describeValue, type DType, NnkitError, Tensor, tensor } from '@nnkit/tensor-wasm';

/**
 * Labels: an array (or typed array) of integer class ids, or a Tensor — `[m]` / `[m, 1]` of class
 * ids or targets, or `[m, k]` one-hot rows.
 */
export type Labels = Tensor | ArrayLike<number>;

/** Number of examples the labels describe. */
export function labelCount(y: Labels, where: string): number {
  if (y instanceof Tensor) {
    if (y.isDisposed) throw new NnkitError('DISPOSED', `${where}: y was used after dispose()`);
    if (y.rank === 0) throw new NnkitError('INVALID_SHAPE', `${where}: y is a scalar; expected one label per example`);
    return y.shape[0];
  }
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number') {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: y must be an array of class ids or a Tensor, got ${describeValue(y)}`);
  }
  return y.length;
}

/** Class ids of labels: ids as given (checked to be integers ≥ 0), or the argmax of one-hot rows. */
export function classIds(y: Labels, where: string): Int32Array {
  labelCount(y, where);
  if (y instanceof Tensor && y.rank === 2 && y.shape[1] > 1) return argMax(y);
  if (y instanceof Tensor && y.rank > 2) {
    throw new NnkitError('INVALID_SHAPE', `${where}: y has shape [${y.shape.join(', ')}]; expected [m], [m, 1] or one-hot [m, k]`);
  }
  const values = y instanceof Tensor ? y.toArray() : y;
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0) {
      throw new NnkitError('LABEL_OUT_OF_RANGE', `${where}: label ${v} at index ${i} is not a class id; expected an integer ≥ 0`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * One-hot rows from class ids: row i has a 1 in column labels[i].
 *
 * @param labels - integer class ids in [0, classes), as an array or a Tensor `[m]` / `[m, 1]`
 * @param classes - the number of classes k
 * @param dtype - of the result (default 'float32')
 * @returns a Tensor `[m, k]`
 * @example
 * oneHot([0, 2, 1], 3);   // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 */
export function oneHot(labels: Labels, classes: number, dtype: DType = 'float32'): Tensor {
  const where = 'oneHot()';
  if (!Number.isInteger(classes) || classes < 1) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: classes ${describeValue(classes)} must be a positive integer`);
  }
  if (labels instanceof Tensor && labels.rank === 2 && labels.shape[1] > 1) {
    throw new NnkitError('INVALID_SHAPE', `${where}: labels of shape [${labels.shape.join(', ')}] look one-hot already; expected class ids [m]`);
  }
  const ids = classIds(labels, where);
  const values = new Float64Array(ids.length * classes);
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] >= classes) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: label ${ids[i]} at index ${i} is not below classes ${classes}`);
    }
    values[i * classes + ids[i]] = 1;
  }
  return tensor(values, [ids.length, classes], dtype);
}

/** The labels at `indices`, in the same form as given (a Tensor, or an array of the same kind). */
export function pickLabels(y: Labels, indices: Int32Array, gather: (t: Tensor, i: Int32Array) => Tensor): Labels {
  if (y instanceof Tensor) return gather(y, indices);
  if (ArrayBuffer.isView(y)) {
    const Ctor = (y as unknown as { constructor: new (n: number) => { [i: number]: number } & ArrayLike<number> }).constructor;
    const out = new Ctor(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = y[indices[i]];
    return out;
  }
  return Array.from(indices, (i) => y[i]);
}
