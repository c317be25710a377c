// The WebAssembly SIMD limit of this machine for f32x4 multiplies and adds. Three loop shapes are
// measured and the fastest counts: twelve dependent mul→add chains; seven independent multiply
// chains beside seven independent add chains; and twelve accumulators fed by products of operands
// loaded from a small (L1-resident) buffer, the shape of a gemm's inner loop with nothing else.
export function peak_mul_add(iterations: i32): f32 {
  const m = f32x4.splat(0.999999);
  const c = f32x4.splat(0.000001);
  let a0 = f32x4.splat(1), a1 = f32x4.splat(1.01), a2 = f32x4.splat(1.02), a3 = f32x4.splat(1.03);
  let a4 = f32x4.splat(1.04), a5 = f32x4.splat(1.05), a6 = f32x4.splat(1.06), a7 = f32x4.splat(1.07);
  let a8 = f32x4.splat(1.08), a9 = f32x4.splat(1.09), a10 = f32x4.splat(1.1), a11 = f32x4.splat(1.11);
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), c); a1 = f32x4.add(f32x4.mul(a1, m), c);
    a2 = f32x4.add(f32x4.mul(a2, m), c); a3 = f32x4.add(f32x4.mul(a3, m), c);
    a4 = f32x4.add(f32x4.mul(a4, m), c); a5 = f32x4.add(f32x4.mul(a5, m), c);
    a6 = f32x4.add(f32x4.mul(a6, m), c); a7 = f32x4.add(f32x4.mul(a7, m), c);
    a8 = f32x4.add(f32x4.mul(a8, m), c); a9 = f32x4.add(f32x4.mul(a9, m), c);
    a10 = f32x4.add(f32x4.mul(a10, m), c); a11 = f32x4.add(f32x4.mul(a11, m), c);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  const t = f32x4.add(s, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)));
  return f32x4.extract_lane(t, 0) + f32x4.extract_lane(t, 1) + f32x4.extract_lane(t, 2) + f32x4.extract_lane(t, 3);
}

export function peak_split(iterations: i32): f32 {
  const m = f32x4.splat(0.999999);
  const c = f32x4.splat(0.000001);
  let p0 = f32x4.splat(1), p1 = f32x4.splat(1.01), p2 = f32x4.splat(1.02), p3 = f32x4.splat(1.03);
  let p4 = f32x4.splat(1.04), p5 = f32x4.splat(1.05), p6 = f32x4.splat(1.06);
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0.1), s2 = f32x4.splat(0.2), s3 = f32x4.splat(0.3);
  let s4 = f32x4.splat(0.4), s5 = f32x4.splat(0.5), s6 = f32x4.splat(0.6);
  for (let i = 0; i < iterations; i++) {
    p0 = f32x4.mul(p0, m); s0 = f32x4.add(s0, c); p1 = f32x4.mul(p1, m); s1 = f32x4.add(s1, c);
    p2 = f32x4.mul(p2, m); s2 = f32x4.add(s2, c); p3 = f32x4.mul(p3, m); s3 = f32x4.add(s3, c);
    p4 = f32x4.mul(p4, m); s4 = f32x4.add(s4, c); p5 = f32x4.mul(p5, m); s5 = f32x4.add(s5, c);
    p6 = f32x4.mul(p6, m); s6 = f32x4.add(s6, c);
  }
  const p = f32x4.add(f32x4.add(f32x4.add(p0, p1), f32x4.add(p2, p3)), f32x4.add(f32x4.add(p4, p5), p6));
  const s = f32x4.add(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)), f32x4.add(f32x4.add(s4, s5), s6));
  const t = f32x4.add(p, s);
  return f32x4.extract_lane(t, 0) + f32x4.extract_lane(t, 1) + f32x4.extract_lane(t, 2) + f32x4.extract_lane(t, 3);
}

export function peak_accumulate(iterations: i32, buffer: usize): f32 {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0), c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  let offset: usize = 0;
  for (let i = 0; i < iterations; i++) {
    const p = buffer + offset;
    const b0 = v128.load(p);
    const b1 = v128.load(p, 16);
    let a = v128.load32_splat(p, 32);
    c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(p, 36);
    c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(p, 40);
    c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(p, 44);
    c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    a = v128.load32_splat(p, 48);
    c40 = f32x4.add(c40, f32x4.mul(a, b0)); c41 = f32x4.add(c41, f32x4.mul(a, b1));
    a = v128.load32_splat(p, 52);
    c50 = f32x4.add(c50, f32x4.mul(a, b0)); c51 = f32x4.add(c51, f32x4.mul(a, b1));
    offset = (offset + 64) & 4095;
  }
  const s = f32x4.add(f32x4.add(f32x4.add(c00, c01), f32x4.add(c10, c11)), f32x4.add(f32x4.add(c20, c21), f32x4.add(c30, c31)));
  const t = f32x4.add(s, f32x4.add(f32x4.add(c40, c41), f32x4.add(c50, c51)));
  return f32x4.extract_lane(t, 0) + f32x4.extract_lane(t, 1) + f32x4.extract_lane(t, 2) + f32x4.extract_lane(t, 3);
}

/** FLOP per iteration: 12 chains × 4 lanes × (mul + add), and 14 chains × 4 lanes × one op. */
export const FLOP_MUL_ADD: i32 = 96;
export const FLOP_SPLIT: i32 = 56;
export const FLOP_ACCUMULATE: i32 = 96;
