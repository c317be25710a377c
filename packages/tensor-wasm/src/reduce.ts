// Reductions over all elements or along one axis: sum, mean, max, min.
import { broadcastTo } from './autodiff/broadcast';
import { activeTape, recordOp } from './autodiff/tape';
import { kernels } from './backend';
import { abs, affine, div, mul, sign, sub } from './elementwise';
import { NnkitError } from './errors';
import { ReduceOp } from './generated/kernel-bindings';
import { type OutOptions, resultTensor } from './ops-common';
import { formatShape } from './shape';
import { checkTensor, offsetOf, type Tensor } from './tensor';

const REDUCE = { sum: ReduceOp.SUM, mean: ReduceOp.MEAN, max: ReduceOp.MAX, min: ReduceOp.MIN } as const;

export interface ReduceOptions extends OutOptions {
  /** Keep the reduced axis with length 1 (so the result broadcasts against the input). */
  keepDims?: boolean;
}

function reduce(op: keyof typeof REDUCE, x: Tensor, axis: number | undefined, opts: ReduceOptions): Tensor {
  const where = `${op}()`;
  checkTensor(x, 'x', where);
  let outer: number;
  let n: number;
  let inner: number;
  let shape: number[];
  if (axis === undefined) {
    [outer, n, inner] = [1, x.size, 1];
    shape = opts.keepDims ? x.shape.map(() => 1) : [];
  } else {
    if (!Number.isInteger(axis) || axis < -x.rank || axis >= x.rank) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: axis ${axis} is out of range for shape ${formatShape(x.shape)} (rank ${x.rank})`);
    }
    const a = axis < 0 ? axis + x.rank : axis;
    outer = x.shape.slice(0, a).reduce((p, d) => p * d, 1);
    n = x.shape[a];
    inner = x.shape.slice(a + 1).reduce((p, d) => p * d, 1);
    shape = opts.keepDims ? x.shape.map((d, i) => (i === a ? 1 : d)) : x.shape.filter((_, i) => i !== a);
  }
  if (n === 0 && (op === 'max' || op === 'min' || op === 'mean')) {
    throw new NnkitError('INVALID_SHAPE', `${where}: cannot reduce an empty axis of shape ${formatShape(x.shape)}`);
  }
  const out = resultTensor(shape, x.dtype, opts.out, where);
  if (n === 0) kernels(x.dtype).fill(offsetOf(out), out.size, 0);
  else kernels(x.dtype).reduce(REDUCE[op], offsetOf(x), offsetOf(out), outer, n, inner);
  if (activeTape !== null) {
    // d x: d y expanded back over the reduced axis (÷ n for the mean).
    const kept = axis === undefined ? x.shape.map(() => 1) : x.shape.map((d, i) => (i === (axis < 0 ? axis + x.rank : axis) ? 1 : d));
    if (op === 'max' || op === 'min') {
      recordOp(where, out, [x], (dy) => [extremumGrad(x, out, dy, kept, axis)]);
    } else {
      recordOp(where, out, [x], (dy) => {
        const g = broadcastTo(dy.reshape(kept), x.shape);
        return [op === 'mean' ? affine(g, 1 / n, 0, { out: g }) : g];
      });
    }
  }
  return out;
}

/**
 * d x of max/min: d y goes to the elements equal to the result, split equally among ties (as
 * torch.amax/amin do), so a tie of k elements gives each d y / k.
 */
function extremumGrad(x: Tensor, y: Tensor, dy: Tensor, kept: readonly number[], axis: number | undefined): Tensor {
  const mask = affine(abs(sign(sub(x, y.reshape(kept)))), -1, 1); // 1 where x equals the result, else 0
  const count = axis === undefined ? sum(mask).reshape(kept) : sum(mask, axis, { keepDims: true });
  return div(mul(mask, dy.reshape(kept)), count);
}

/**
 * Sum of all elements, or along `axis` (negative counts from the end).
 * @example
 * const db = sum(dz, 0); // bias gradient: sum over the batch rows
 */
export const sum = (x: Tensor, axis?: number, opts: ReduceOptions = {}): Tensor => reduce('sum', x, axis, opts);
/** Mean of all elements, or along `axis`. */
export const mean = (x: Tensor, axis?: number, opts: ReduceOptions = {}): Tensor => reduce('mean', x, axis, opts);
/** Maximum of all elements, or along `axis`; NaN wins. Its gradient splits equally among tied maxima. */
export const max = (x: Tensor, axis?: number, opts: ReduceOptions = {}): Tensor => reduce('max', x, axis, opts);
/** Minimum of all elements, or along `axis`; NaN wins. Its gradient splits equally among tied minima. */
export const min = (x: Tensor, axis?: number, opts: ReduceOptions = {}): Tensor => reduce('min', x, axis, opts);
