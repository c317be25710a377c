// Activations by name, their forward maps and their derivatives from the output. The fused four
// (plus linear) run in tensor-wasm's fused kernels; softmax needs a row sum, so it is handled here.
import { activationBackward, type FusedActivation, LEAKY_RELU_ALPHA, leakyRelu, mul, relu, sigmoid, softmax, sub, sum, type Tensor, tanh } from '@nnkit/tensor-wasm';
import { fail } from './errors';

/** Activation names accepted by `dense({ activation })` and `activation()`. */
export type ActivationName = FusedActivation | 'softmax';

const NAMES: readonly ActivationName[] = ['linear', 'relu', 'leakyRelu', 'sigmoid', 'tanh', 'softmax'];

/** Default negative slope of leakyRelu (PyTorch's 0.01, as in tensor-wasm). */
export const DEFAULT_LEAKY_ALPHA = LEAKY_RELU_ALPHA;

/** Throws unless `name` is an activation name; returns it. */
export function checkActivation(name: unknown, where: string): ActivationName {
  if (typeof name !== 'string' || !(NAMES as readonly string[]).includes(name)) {
    fail('INVALID_ARGUMENT', `${where}: activation ${JSON.stringify(name)} is not one of ${NAMES.join(', ')}`);
  }
  return name as ActivationName;
}

/** Writes act(x) into `out` (which may be x). */
export function activationForward(name: ActivationName, x: Tensor, out: Tensor, alpha: number): Tensor {
  switch (name) {
    case 'relu':
      return relu(x, { out });
    case 'leakyRelu':
      return leakyRelu(x, alpha, { out });
    case 'sigmoid':
      return sigmoid(x, { out });
    case 'tanh':
      return tanh(x, { out });
    case 'softmax':
      return softmax(x, -1, { out });
    case 'linear':
      return x;
  }
}

/**
 * dz = dy ⊙ act'(z) from the output y, into `out`; with `biasGrad`, also Σ_rows dz. For softmax,
 * dz = y ⊙ (dy − Σ_j dy_j·y_j), which needs `rowSum` [m, 1].
 */
export function activationGrad(
  name: ActivationName, dy: Tensor, y: Tensor, out: Tensor, alpha: number, rowSum: Tensor | null, biasGrad?: Tensor,
): Tensor {
  if (name !== 'softmax') return activationBackward(dy, y, { activation: name, alpha, out, biasGrad });
  if (!rowSum) return fail('INTERNAL', 'softmax backward needs a row-sum buffer');
  mul(dy, y, { out });
  sum(out, 1, { keepDims: true, out: rowSum });
  sub(dy, rowSum, { out });
  mul(out, y, { out });
  if (biasGrad) sum(out, 0, { out: biasGrad });
  return out;
}
