// Flushing subnormal numbers to zero, for state that decays geometrically (optimizer moments).
//
// WebAssembly has no flush-to-zero mode, and x86 processors run a multiply or add whose input or
// result is subnormal through a microcode assist, about a hundred times slower than normal. Worse,
// with round-to-nearest β·d rounds back to d for the smallest subnormal d whenever β > 1/2, so a
// moment whose gradient has become zero (a dead unit, a pixel that is always blank) decays into the
// subnormal range and then stays there, slowing every later step. Storing such values as zero costs
// two integer operations per vector and changes nothing above the smallest normal number
// (1.2e-38 in float32, 2.2e-308 in float64).

/** x with every subnormal lane (exponent bits all zero) replaced by +0; integer operations only. */
@inline export function flushSubnormal<T>(x: v128): v128 {
  if (sizeof<T>() == 4) {
    return v128.andnot(x, i32x4.eq(v128.and(x, i32x4.splat(0x7f800000)), i32x4.splat(0)));
  }
  return v128.andnot(x, i64x2.eq(v128.and(x, i64x2.splat(0x7ff0000000000000)), i64x2.splat(0)));
}

/** The scalar form of {@link flushSubnormal}, so the scalar loops write the same bits. */
@inline export function flushSubnormalScalar<T>(x: T): T {
  if (sizeof<T>() == 4) return (reinterpret<u32>(<f32>x) & 0x7f800000) == 0 ? <T>0 : x;
  return (reinterpret<u64>(<f64>x) & 0x7ff0000000000000) == 0 ? <T>0 : x;
}
