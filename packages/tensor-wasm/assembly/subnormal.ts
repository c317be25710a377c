// Flushing subnormal numbers to zero, for state that decays geometrically (optimizer moments).
//
// WebAssembly has no flush-to-zero mode, and x86 processors run a multiply or add whose input or
// result is subnormal through a microcode assist, about a hundred times slower than normal. Worse,
// with round-to-nearest β·d rounds back to d for the smallest subnormal d whenever β > 1/2, so a
// moment whose gradient has become zero (a dead unit, a pixel that is always blank) decays into the
// subnormal range and then stays there, slowing every later step. A pass of this kernel over the
// state now and then clears them; it changes nothing at or above the smallest normal number
// (1.2e-38 in float32, 2.2e-308 in float64). (Flushing inside every update costs Adam about 19%:
// the masks take registers its loop needs.)
import { lanes } from './math';

/** x with every subnormal lane (exponent bits all zero) replaced by +0; integer operations only. */
@inline function flushSubnormal<T>(x: v128): v128 {
  if (sizeof<T>() == 4) {
    return v128.andnot(x, i32x4.eq(v128.and(x, i32x4.splat(0x7f800000)), i32x4.splat(0)));
  }
  return v128.andnot(x, i64x2.eq(v128.and(x, i64x2.splat(0x7ff0000000000000)), i64x2.splat(0)));
}

/** The scalar form of {@link flushSubnormal}, so the scalar loops write the same bits. */
@inline function flushSubnormalScalar<T>(x: T): T {
  if (sizeof<T>() == 4) return (reinterpret<u32>(<f32>x) & 0x7f800000) == 0 ? <T>0 : x;
  return (reinterpret<u64>(<f64>x) & 0x7ff0000000000000) == 0 ? <T>0 : x;
}

/** x[i] = 0 wherever x[i] is subnormal (or −0), in place. */
export function flushSubnormals<T>(x: usize, n: i32): void {
  const E = sizeof<T>();
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    for (; i + L <= n; i += L) {
      const p = x + (<usize>i) * E;
      v128.store(p, flushSubnormal<T>(v128.load(p)));
    }
  }
  for (; i < n; i++) {
    const p = x + (<usize>i) * E;
    store<T>(p, flushSubnormalScalar<T>(load<T>(p)));
  }
}
