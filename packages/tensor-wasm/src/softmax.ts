// Softmax and log-softmax over the last axis, shifted by each row's maximum (safe for ±1000).
import { activeTape, recordOp } from './autodiff/tape';
import { kernels } from './backend';
import { exp, mul, sub } from './elementwise';
import { sum } from './reduce';
import { NnkitError } from './errors';
import { type OutOptions, resultTensor } from './ops-common';
import { formatShape } from './shape';
import { checkTensor, offsetOf, type Tensor } from './tensor';

function softmaxImpl(x: Tensor, axis: number, logarithm: boolean, opts: OutOptions): Tensor {
  const where = logarithm ? 'logSoftmax()' : 'softmax()';
  checkTensor(x, 'x', where);
  if (x.rank === 0) throw new NnkitError('INVALID_SHAPE', `${where}: expected at least 1 dimension, got a scalar`);
  if (axis !== -1 && axis !== x.rank - 1) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: axis ${axis} is not supported for shape ${formatShape(x.shape)}; only the last axis (-1)`);
  }
  const cols = x.shape[x.rank - 1];
  const rows = cols === 0 ? 0 : x.size / cols;
  const out = resultTensor(x.shape, x.dtype, opts.out, where);
  if (rows > 0) kernels(x.dtype).softmax(offsetOf(x), offsetOf(out), rows, cols, logarithm ? 1 : 0, 0, rows);
  if (activeTape !== null) {
    // softmax: dx = y ⊙ (dy − Σ dy⊙y); logSoftmax: dx = dy − eʸ ⊙ Σ dy (sums along the last axis).
    recordOp(where, out, [x], (dy) =>
      logarithm ? [sub(dy, mul(exp(out), sum(dy, -1, { keepDims: true })))] : [mul(out, sub(dy, sum(mul(dy, out), -1, { keepDims: true })))],
    );
  }
  return out;
}

/**
 * exp(x − max) / Σ exp(x − max) along the last axis.
 * @example
 * const probs = softmax(logits);
 */
export function softmax(x: Tensor, axis = -1, opts: OutOptions = {}): Tensor {
  return softmaxImpl(x, axis, false, opts);
}

/** x − max − log Σ exp(x − max) along the last axis. */
export function logSoftmax(x: Tensor, axis = -1, opts: OutOptions = {}): Tensor {
  return softmaxImpl(x, axis, true, opts);
}
