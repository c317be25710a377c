// Moving gradients across broadcasting: summing back over broadcast axes, and expanding a reduced
// gradient to its input's shape.
import { fill } from '../copy';
import { add } from '../elementwise';
import { sum } from '../reduce';
import { sameShape } from '../shape';
import { emptyTensor, type Tensor } from '../tensor';

/** Sums `g` (of a broadcast result's shape) over the axes along which `shape` was broadcast. */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  let r = g;
  const extra = g.rank - shape.length;
  for (let i = 0; i < extra; i++) r = sum(r, 0);
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1 && r.shape[i] !== 1) r = sum(r, i, { keepDims: true });
  }
  return sameShape(r.shape, shape) ? r : r.reshape(shape);
}

/** `g` broadcast (copied) to `shape`. */
export function broadcastTo(g: Tensor, shape: readonly number[]): Tensor {
  const out = fill(emptyTensor(shape, g.dtype, 'grad()'), 0);
  return add(out, g, { out });
}
