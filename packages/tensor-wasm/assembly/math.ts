// Scalar math shared by the kernels, generic over f32/f64. AssemblyScript's Math/Mathf are
// implemented in WebAssembly itself, so every engine computes the same bits.

@inline export function isF32<T>(): bool {
  return sizeof<T>() == 4;
}

@inline export function exp<T>(x: T): T {
  return isF32<T>() ? <T>Mathf.exp(<f32>x) : <T>Math.exp(<f64>x);
}

@inline export function log<T>(x: T): T {
  return isF32<T>() ? <T>Mathf.log(<f32>x) : <T>Math.log(<f64>x);
}

@inline export function sqrt<T>(x: T): T {
  return isF32<T>() ? <T>Mathf.sqrt(<f32>x) : <T>Math.sqrt(<f64>x);
}

@inline export function tanh<T>(x: T): T {
  return isF32<T>() ? <T>Mathf.tanh(<f32>x) : <T>Math.tanh(<f64>x);
}

/** Logistic sigmoid, computed from exp(-|x|) so that neither branch overflows. */
@inline export function sigmoid<T>(x: T): T {
  if (x >= <T>0) return <T>1 / (<T>1 + exp<T>(-x));
  const e = exp<T>(x);
  return e / (<T>1 + e);
}

/** Vector lanes of T in a v128 (4 for f32, 2 for f64). */
@inline export function lanes<T>(): i32 {
  return (16 / sizeof<T>()) as i32;
}
