// The one place where @nnkit/layers meets the fused kernels of tensor-wasm (denseForward,
// activationBackward, the two cross-entropies from logits, axpy). Until those kernels are exported
// by tensor-wasm, this module implements the same signatures with the existing ops: correct, but
// in several passes. Swapping these bodies for re-exports changes no caller.
import {
  add, affine, clone, leakyRelu, LEAKY_RELU_ALPHA, leakyReluGrad, matmul, relu, reluGrad, sigmoid, sigmoidGrad, sum, tanh,
  tanhGrad, type Tensor,
} from '@nnkit/tensor-wasm';
import { fail, shapeText } from './errors';

/** Activations the dense kernel applies in the same pass as the bias. */
export type FusedActivation = 'linear' | 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh';

const FUSED: readonly string[] = ['linear', 'relu', 'leakyRelu', 'sigmoid', 'tanh'];

function checkFused(activation: string, where: string): FusedActivation {
  if (!FUSED.includes(activation)) {
    fail('INVALID_ARGUMENT', `${where}: activation '${activation}' is not one of ${FUSED.join(', ')}`);
  }
  return activation as FusedActivation;
}

/**
 * act(x·w + b) for x [m, k], w [k, n], b [n].
 *
 * @param x - inputs [m, k]
 * @param w - kernel [k, n]
 * @param b - bias [n], or null
 * @param opts - activation (default 'linear'), its alpha (leakyRelu), and `out` [m, n]
 * @returns `out`, or a new [m, n] tensor
 * @example
 * const a = denseForward(x, w, b, { activation: 'relu', out: aBuffer });
 */
export function denseForward(
  x: Tensor, w: Tensor, b: Tensor | null, opts: { activation?: FusedActivation; alpha?: number; out?: Tensor } = {},
): Tensor {
  const activation = checkFused(opts.activation ?? 'linear', 'denseForward()');
  const z = matmul(x, w, { out: opts.out });
  if (b) add(z, b, { out: z });
  if (activation === 'relu') relu(z, { out: z });
  else if (activation === 'leakyRelu') leakyRelu(z, opts.alpha ?? LEAKY_RELU_ALPHA, { out: z });
  else if (activation === 'sigmoid') sigmoid(z, { out: z });
  else if (activation === 'tanh') tanh(z, { out: z });
  return z;
}

/**
 * dz = dy ⊙ act'(z), computed from the activation's output y; optionally db = Σ_rows dz.
 *
 * @param dy - gradient of the loss with respect to y
 * @param y - the activation's output of the forward pass
 * @param opts - activation, alpha, `out` for dz, `biasGrad` [n] to receive Σ_rows dz
 * @returns dz (`out` or a new tensor)
 * @example
 * activationBackward(dy, y, { activation: 'relu', out: dz, biasGrad: db });
 */
export function activationBackward(
  dy: Tensor, y: Tensor, opts: { activation: FusedActivation; alpha?: number; out?: Tensor; biasGrad?: Tensor },
): Tensor {
  const activation = checkFused(opts.activation, 'activationBackward()');
  const out = opts.out;
  let dz: Tensor;
  if (activation === 'relu') dz = reluGrad(dy, y, { out });
  else if (activation === 'leakyRelu') dz = leakyReluGrad(dy, y, opts.alpha ?? LEAKY_RELU_ALPHA, { out });
  else if (activation === 'sigmoid') dz = sigmoidGrad(dy, y, { out });
  else if (activation === 'tanh') dz = tanhGrad(dy, y, { out });
  else dz = out === undefined ? clone(dy) : out === dy ? dy : affine(dy, 1, 0, { out });
  if (opts.biasGrad) sum(dz, 0, { out: opts.biasGrad });
  return dz;
}

function checkLogits(logits: Tensor, where: string): [number, number] {
  if (logits.shape.length !== 2) fail('INVALID_SHAPE', `${where}: logits must be 2-D [m, classes], got ${shapeText(logits.shape)}`);
  return [logits.shape[0], logits.shape[1]];
}

function checkGrad(grad: Tensor | undefined, like: Tensor, where: string): void {
  if (grad && (grad.dtype !== like.dtype || grad.shape.join() !== like.shape.join())) {
    fail('SHAPE_MISMATCH', `${where}: grad has shape ${shapeText(grad.shape)} ${grad.dtype}; expected ${shapeText(like.shape)} ${like.dtype}`);
  }
}

/**
 * Mean softmax cross-entropy over rows, from logits, stable for any finite logits; with `grad`,
 * also writes (softmax(logits) − y)/m into it.
 *
 * @param logits - [m, k]
 * @param labels - one-hot (or probability) rows [m, k], or m class ids
 * @param opts - `grad` [m, k] to receive d loss / d logits
 * @returns the loss
 * @example
 * const loss = softmaxCrossEntropyWithLogits(logits, ids, { grad: dLogits });
 */
export function softmaxCrossEntropyWithLogits(logits: Tensor, labels: Tensor | Int32Array, opts: { grad?: Tensor } = {}): number {
  const where = 'softmaxCrossEntropyWithLogits()';
  const [m, k] = checkLogits(logits, where);
  const ids = labels instanceof Int32Array;
  if (ids ? labels.length !== m : (labels as Tensor).shape.join() !== logits.shape.join()) {
    const got = ids ? `${labels.length} class ids` : shapeText((labels as Tensor).shape);
    fail('SHAPE_MISMATCH', `${where}: labels ${got} do not match logits ${shapeText(logits.shape)}`);
  }
  checkGrad(opts.grad, logits, where);
  const z = logits.toArray();
  const y = ids ? null : (labels as Tensor).toArray();
  const g = opts.grad ? new Float64Array(m * k) : null;
  let total = 0;
  for (let i = 0; i < m; i++) {
    const row = i * k;
    let zmax = -Infinity;
    for (let j = 0; j < k; j++) zmax = Math.max(zmax, z[row + j]);
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(z[row + j] - zmax);
    const lse = zmax + Math.log(s);
    if (y === null) {
      const c = (labels as Int32Array)[i];
      total += lse - z[row + c];
    } else {
      for (let j = 0; j < k; j++) total += y[row + j] * (lse - z[row + j]);
    }
    if (g) {
      for (let j = 0; j < k; j++) {
        const target = y === null ? ((labels as Int32Array)[i] === j ? 1 : 0) : y[row + j];
        g[row + j] = (Math.exp(z[row + j] - lse) - target) / m;
      }
    }
  }
  if (g && opts.grad) opts.grad.assign(g);
  return total / m;
}

/**
 * Mean binary cross-entropy over all elements, from logits, stable for any finite logits:
 * max(z, 0) − z·t + log(1 + e^−|z|); with `grad`, also writes (σ(z) − t)/size into it.
 *
 * @param logits - any shape
 * @param targets - the same shape, values in [0, 1]
 * @param opts - `grad` to receive d loss / d logits
 * @returns the loss
 * @example
 * const loss = sigmoidCrossEntropyWithLogits(logits, y, { grad: dLogits });
 */
export function sigmoidCrossEntropyWithLogits(logits: Tensor, targets: Tensor, opts: { grad?: Tensor } = {}): number {
  const where = 'sigmoidCrossEntropyWithLogits()';
  if (targets.shape.join() !== logits.shape.join()) {
    fail('SHAPE_MISMATCH', `${where}: targets ${shapeText(targets.shape)} do not match logits ${shapeText(logits.shape)}`);
  }
  checkGrad(opts.grad, logits, where);
  const z = logits.toArray();
  const t = targets.toArray();
  const n = z.length;
  const g = opts.grad ? new Float64Array(n) : null;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const zi = z[i];
    const e = Math.exp(-Math.abs(zi));
    total += Math.max(zi, 0) - zi * t[i] + Math.log1p(e);
    if (g) g[i] = ((zi >= 0 ? 1 / (1 + e) : e / (1 + e)) - t[i]) / n;
  }
  if (g && opts.grad) opts.grad.assign(g);
  return n === 0 ? 0 : total / n;
}

/**
 * y += alpha·x in place.
 *
 * @param alpha - the scale of x
 * @param x - same shape and dtype as y
 * @param y - updated in place
 * @returns y
 * @example
 * axpy(1 - momentum, batchMean, runningMean);
 */
export function axpy(alpha: number, x: Tensor, y: Tensor): Tensor {
  if (x.size !== y.size || x.dtype !== y.dtype) {
    fail('SHAPE_MISMATCH', `axpy(): x ${shapeText(x.shape)} ${x.dtype} does not match y ${shapeText(y.shape)} ${y.dtype}`);
  }
  const xs = x.toArray();
  const ys = y.toArray();
  for (let i = 0; i < ys.length; i++) ys[i] += alpha * xs[i];
  return y.assign(ys);
}

/**
 * Σ x², accumulated in float64; not finite exactly when some element is NaN or ±Inf (or, in
 * float64, beyond 1e154). The training loop uses it for gradient norms and divergence checks.
 *
 * @param x - any tensor
 * @returns the sum of squares
 * @example
 * const norm = Math.sqrt(sumOfSquares(grad));
 */
export function sumOfSquares(x: Tensor): number {
  const v = x.toArray();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}
