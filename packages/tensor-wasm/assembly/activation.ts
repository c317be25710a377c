// The activations' derivatives, written once for the elementwise gradients (elementwise.ts) and the
// fused dense backward (fused.ts). Each is computed from the activation's output y: relu, leaky relu
// with a slope ≥ 0, sigmoid and tanh all have derivatives expressible in y.

/** Codes of the activation kernels (`bias_activation`, `activation_backward`, `activation_grad`); LINEAR is the identity. */
export namespace Activation {
  export const RELU = 6, LEAKY_RELU = 7, SIGMOID = 8, TANH = 9, LINEAR = 12;
}

/** dy ⊙ act'(·) at one element, from the output y; alpha is leaky relu's slope. */
@inline export function derivative<T>(op: i32, dy: T, y: T, alpha: T): T {
  if (op == Activation.RELU) return y > <T>0 ? dy : <T>0;
  if (op == Activation.LEAKY_RELU) return y > <T>0 ? dy : dy * alpha;
  if (op == Activation.SIGMOID) return dy * y * (<T>1 - y);
  if (op == Activation.TANH) return dy * (<T>1 - y * y);
  return dy;
}

/** {@link derivative} over the lanes of a v128, with the same operations in the same order. */
@inline export function derivativeVector<T>(op: i32, dy: v128, y: v128, alpha: v128): v128 {
  const zero = v128.splat<T>(<T>0);
  const one = v128.splat<T>(<T>1);
  if (op == Activation.RELU) return v128.and(dy, v128.gt<T>(y, zero));
  if (op == Activation.LEAKY_RELU) return v128.bitselect(dy, v128.mul<T>(dy, alpha), v128.gt<T>(y, zero));
  if (op == Activation.SIGMOID) return v128.mul<T>(v128.mul<T>(dy, y), v128.sub<T>(one, y));
  if (op == Activation.TANH) return v128.mul<T>(dy, v128.sub<T>(one, v128.mul<T>(y, y)));
  return dy;
}
