// Helpers every op module shares: checking `out` buffers and operand dtypes.
import { activeTape } from './autodiff/tape';
import type { DType } from './dtype';
import { NnkitError } from './errors';
import { formatShape, sameShape } from './shape';
import { checkTensor, emptyTensor, type Tensor } from './tensor';

/** Options shared by ops that can write into an existing tensor instead of allocating. */
export interface OutOptions {
  /** Write the result here (same shape and dtype as the result) instead of a new tensor. */
  out?: Tensor;
}

/** Returns `out` after checking it fits, or a fresh tensor of `shape`. */
export function resultTensor(shape: readonly number[], dtype: DType, out: Tensor | undefined, where: string): Tensor {
  if (out === undefined) return emptyTensor(shape, dtype, where);
  checkTensor(out, 'out', where);
  if (activeTape !== null) activeTape.checkWritable(out, where);
  if (!sameShape(out.shape, shape) || out.dtype !== dtype) {
    throw new NnkitError(
      'SHAPE_MISMATCH',
      `${where}: out has shape ${formatShape(out.shape)} ${out.dtype}; expected ${formatShape(shape)} ${dtype}`,
    );
  }
  return out;
}

export function checkSameDType(a: Tensor, b: Tensor, where: string): DType {
  if (a.dtype !== b.dtype) {
    throw new NnkitError(
      'DTYPE_MISMATCH',
      `${where}: cannot mix ${a.dtype} ${formatShape(a.shape)} and ${b.dtype} ${formatShape(b.shape)}; convert one with cast()`,
    );
  }
  return a.dtype;
}
