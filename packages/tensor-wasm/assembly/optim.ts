// Fused optimizer updates. Each kernel reads w, g and the optimizer's state once and writes w and the
// state once, so a step costs one pass over memory per parameter and allocates nothing.
//
// The SIMD main loop and the scalar loop (the tail, and the whole of the scalar build) perform the
// same IEEE operations in the same order and no fused multiply-add exists in WebAssembly SIMD, so the
// SIMD and the scalar builds write the same bits. The operation order follows PyTorch's CPU kernels
// (addcmul: (c·a)·b, addcdiv: (c·a)/b) so that float32 trajectories stay within a few ulps of it.
import { lanes, sqrt } from './math';

/** w −= lr·g */
export function sgdUpdate<T>(w: usize, g: usize, n: i32, lr: T): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lrv = v128.splat<T>(lr);
    for (; i + L <= n; i += L) {
      const o = (<usize>i) * E;
      v128.store(w + o, v128.sub<T>(v128.load(w + o), v128.mul<T>(lrv, v128.load(g + o))));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) * E;
    store<T>(w + o, load<T>(w + o) - lr * load<T>(g + o));
  }
}

/**
 * v = β·v + a·g; w −= lr·d with d = v, or d = a·g + β·v (Nesterov's look-ahead). a = 1 is the
 * heavy-ball form (PyTorch, TensorFlow.js), a = 1 − β the exponentially weighted form of the course.
 */
@inline function momentumLoop<T>(nesterov: bool, w: usize, g: usize, v: usize, n: i32, lr: T, beta: T, a: T): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lrv = v128.splat<T>(lr);
    const bv = v128.splat<T>(beta);
    const av = v128.splat<T>(a);
    for (; i + L <= n; i += L) {
      const o = (<usize>i) * E;
      const ag = v128.mul<T>(av, v128.load(g + o));
      const vn = v128.add<T>(v128.mul<T>(bv, v128.load(v + o)), ag);
      v128.store(v + o, vn);
      const d = nesterov ? v128.add<T>(ag, v128.mul<T>(bv, vn)) : vn;
      v128.store(w + o, v128.sub<T>(v128.load(w + o), v128.mul<T>(lrv, d)));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) * E;
    const ag = a * load<T>(g + o);
    const vn = beta * load<T>(v + o) + ag;
    store<T>(v + o, vn);
    const d = nesterov ? ag + beta * vn : vn;
    store<T>(w + o, load<T>(w + o) - lr * d);
  }
}

export function momentumUpdate<T>(w: usize, g: usize, v: usize, n: i32, lr: T, beta: T, a: T, nesterov: bool): void {
  if (nesterov) momentumLoop<T>(true, w, g, v, n, lr, beta, a);
  else momentumLoop<T>(false, w, g, v, n, lr, beta, a);
}

/**
 * s = ρ·s + (1−ρ)·g²; centered: mg = ρ·mg + (1−ρ)·g and s − mg² replaces s under the root;
 * w −= lr·g / (√s + ε), or lr·g / √(s + ε) with ε inside the root (TensorFlow.js, Keras 3).
 */
@inline function rmspropLoop<T>(
  centered: bool, inside: bool, w: usize, g: usize, s: usize, mg: usize, n: i32, lr: T, rho: T, c: T, eps: T,
): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lrv = v128.splat<T>(lr);
    const rv = v128.splat<T>(rho);
    const cv = v128.splat<T>(c);
    const ev = v128.splat<T>(eps);
    for (; i + L <= n; i += L) {
      const o = (<usize>i) * E;
      const gi = v128.load(g + o);
      const sn = v128.add<T>(v128.mul<T>(rv, v128.load(s + o)), v128.mul<T>(v128.mul<T>(cv, gi), gi));
      v128.store(s + o, sn);
      let r = sn;
      if (centered) {
        const mn = v128.add<T>(v128.mul<T>(rv, v128.load(mg + o)), v128.mul<T>(cv, gi));
        v128.store(mg + o, mn);
        r = v128.sub<T>(sn, v128.mul<T>(mn, mn));
      }
      const denom = inside ? v128.sqrt<T>(v128.add<T>(r, ev)) : v128.add<T>(v128.sqrt<T>(r), ev);
      v128.store(w + o, v128.sub<T>(v128.load(w + o), v128.div<T>(v128.mul<T>(lrv, gi), denom)));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) * E;
    const gi = load<T>(g + o);
    const sn = rho * load<T>(s + o) + c * gi * gi;
    store<T>(s + o, sn);
    let r = sn;
    if (centered) {
      const mn = rho * load<T>(mg + o) + c * gi;
      store<T>(mg + o, mn);
      r = sn - mn * mn;
    }
    const denom = inside ? sqrt<T>(r + eps) : sqrt<T>(r) + eps;
    store<T>(w + o, load<T>(w + o) - (lr * gi) / denom);
  }
}

export function rmspropUpdate<T>(
  w: usize, g: usize, s: usize, mg: usize, n: i32, lr: T, rho: T, c: T, eps: T, centered: bool, inside: bool,
): void {
  if (centered) {
    if (inside) rmspropLoop<T>(true, true, w, g, s, mg, n, lr, rho, c, eps);
    else rmspropLoop<T>(true, false, w, g, s, mg, n, lr, rho, c, eps);
  } else if (inside) rmspropLoop<T>(false, true, w, g, s, mg, n, lr, rho, c, eps);
  else rmspropLoop<T>(false, false, w, g, s, mg, n, lr, rho, c, eps);
}

/**
 * Adam with bias correction folded into two scalars: stepSize = lr/(1−β1ᵗ), k = 1/√(1−β2ᵗ).
 * g' = g + l2·w (coupled weight decay, PyTorch Adam's weight_decay); w' = w·decay (decoupled, AdamW's
 * 1 − lr·λ); m = β1·m + c1·g'; v = β2·v + c2·g'²; w = w' − stepSize·m / (√v·k + ε).
 */
@inline function adamLoop<T>(
  coupled: bool, decoupled: bool, w: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: T, c1: T, beta2: T, c2: T, stepSize: T, k: T, eps: T, l2: T, decay: T,
): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const b1 = v128.splat<T>(beta1);
    const c1v = v128.splat<T>(c1);
    const b2 = v128.splat<T>(beta2);
    const c2v = v128.splat<T>(c2);
    const sv = v128.splat<T>(stepSize);
    const kv = v128.splat<T>(k);
    const ev = v128.splat<T>(eps);
    const l2v = v128.splat<T>(l2);
    const dv = v128.splat<T>(decay);
    for (; i + L <= n; i += L) {
      const o = (<usize>i) * E;
      let wi = v128.load(w + o);
      let gi = v128.load(g + o);
      if (coupled) gi = v128.add<T>(gi, v128.mul<T>(l2v, wi));
      if (decoupled) wi = v128.mul<T>(wi, dv);
      const mn = v128.add<T>(v128.mul<T>(b1, v128.load(m + o)), v128.mul<T>(c1v, gi));
      const vn = v128.add<T>(v128.mul<T>(b2, v128.load(v + o)), v128.mul<T>(v128.mul<T>(c2v, gi), gi));
      v128.store(m + o, mn);
      v128.store(v + o, vn);
      const denom = v128.add<T>(v128.mul<T>(v128.sqrt<T>(vn), kv), ev);
      v128.store(w + o, v128.sub<T>(wi, v128.div<T>(v128.mul<T>(sv, mn), denom)));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) * E;
    let wi = load<T>(w + o);
    let gi = load<T>(g + o);
    if (coupled) gi = gi + l2 * wi;
    if (decoupled) wi = wi * decay;
    const mn = beta1 * load<T>(m + o) + c1 * gi;
    const vn = beta2 * load<T>(v + o) + c2 * gi * gi;
    store<T>(m + o, mn);
    store<T>(v + o, vn);
    const denom = sqrt<T>(vn) * k + eps;
    store<T>(w + o, wi - (stepSize * mn) / denom);
  }
}

export function adamUpdate<T>(
  w: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: T, c1: T, beta2: T, c2: T, stepSize: T, k: T, eps: T, l2: T, decay: T,
): void {
  // Separate loops for each weight-decay variant keep the common case free of work it does not need.
  const coupled = l2 != <T>0;
  const decoupled = decay != <T>1;
  if (coupled) {
    if (decoupled) adamLoop<T>(true, true, w, g, m, v, n, beta1, c1, beta2, c2, stepSize, k, eps, l2, decay);
    else adamLoop<T>(true, false, w, g, m, v, n, beta1, c1, beta2, c2, stepSize, k, eps, l2, decay);
  } else if (decoupled) adamLoop<T>(false, true, w, g, m, v, n, beta1, c1, beta2, c2, stepSize, k, eps, l2, decay);
  else adamLoop<T>(false, false, w, g, m, v, n, beta1, c1, beta2, c2, stepSize, k, eps, l2, decay);
}

/**
 * Number of NaN and ±Inf entries: the ones whose exponent bits are all set. Read-only, so an
 * optimizer can check every gradient before it writes anything.
 */
export function countNonFinite<T>(x: usize, n: i32): i32 {
  let count = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // Four vectors per iteration into two accumulators keep the loop at memory speed rather than
    // at the latency of one dependency chain. A lane that matches compares as −1, so subtracting
    // the comparison counts the hits per lane.
    if (sizeof<T>() == 4) {
      const mask = i32x4.splat(0x7f800000);
      let a0 = i32x4.splat(0);
      let a1 = i32x4.splat(0);
      for (; i + 16 <= n; i += 16) {
        const p = x + (<usize>i) * 4;
        a0 = i32x4.sub(a0, i32x4.eq(v128.and(v128.load(p), mask), mask));
        a1 = i32x4.sub(a1, i32x4.eq(v128.and(v128.load(p, 16), mask), mask));
        a0 = i32x4.sub(a0, i32x4.eq(v128.and(v128.load(p, 32), mask), mask));
        a1 = i32x4.sub(a1, i32x4.eq(v128.and(v128.load(p, 48), mask), mask));
      }
      for (; i + 4 <= n; i += 4) a0 = i32x4.sub(a0, i32x4.eq(v128.and(v128.load(x + (<usize>i) * 4), mask), mask));
      const acc = i32x4.add(a0, a1);
      count = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
    } else {
      const mask = i64x2.splat(0x7ff0000000000000);
      let a0 = i64x2.splat(0);
      let a1 = i64x2.splat(0);
      for (; i + 8 <= n; i += 8) {
        const p = x + (<usize>i) * 8;
        a0 = i64x2.sub(a0, i64x2.eq(v128.and(v128.load(p), mask), mask));
        a1 = i64x2.sub(a1, i64x2.eq(v128.and(v128.load(p, 16), mask), mask));
        a0 = i64x2.sub(a0, i64x2.eq(v128.and(v128.load(p, 32), mask), mask));
        a1 = i64x2.sub(a1, i64x2.eq(v128.and(v128.load(p, 48), mask), mask));
      }
      for (; i + 2 <= n; i += 2) a0 = i64x2.sub(a0, i64x2.eq(v128.and(v128.load(x + (<usize>i) * 8), mask), mask));
      const acc = i64x2.add(a0, a1);
      count = <i32>(i64x2.extract_lane(acc, 0) + i64x2.extract_lane(acc, 1));
    }
  }
  for (; i < n; i++) if (!isFinite<T>(load<T>(x + (<usize>i) * sizeof<T>()))) count++;
  return count;
}

export function sgd_f32(w: usize, g: usize, n: i32, lr: f32): void { sgdUpdate<f32>(w, g, n, lr); }
export function sgd_f64(w: usize, g: usize, n: i32, lr: f64): void { sgdUpdate<f64>(w, g, n, lr); }

export function momentum_f32(w: usize, g: usize, v: usize, n: i32, lr: f32, beta: f32, a: f32, nesterov: bool): void {
  momentumUpdate<f32>(w, g, v, n, lr, beta, a, nesterov);
}
export function momentum_f64(w: usize, g: usize, v: usize, n: i32, lr: f64, beta: f64, a: f64, nesterov: bool): void {
  momentumUpdate<f64>(w, g, v, n, lr, beta, a, nesterov);
}

export function rmsprop_f32(
  w: usize, g: usize, s: usize, mg: usize, n: i32, lr: f32, rho: f32, c: f32, eps: f32, centered: bool, inside: bool,
): void {
  rmspropUpdate<f32>(w, g, s, mg, n, lr, rho, c, eps, centered, inside);
}
export function rmsprop_f64(
  w: usize, g: usize, s: usize, mg: usize, n: i32, lr: f64, rho: f64, c: f64, eps: f64, centered: bool, inside: bool,
): void {
  rmspropUpdate<f64>(w, g, s, mg, n, lr, rho, c, eps, centered, inside);
}

export function adam_f32(
  w: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f32, c1: f32, beta2: f32, c2: f32, stepSize: f32, k: f32, eps: f32, l2: f32, decay: f32,
): void {
  adamUpdate<f32>(w, g, m, v, n, beta1, c1, beta2, c2, stepSize, k, eps, l2, decay);
}
export function adam_f64(
  w: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f64, c1: f64, beta2: f64, c2: f64, stepSize: f64, k: f64, eps: f64, l2: f64, decay: f64,
): void {
  adamUpdate<f64>(w, g, m, v, n, beta1, c1, beta2, c2, stepSize, k, eps, l2, decay);
}

export function count_nonfinite_f32(x: usize, n: i32): i32 { return countNonFinite<f32>(x, n); }
export function count_nonfinite_f64(x: usize, n: i32): i32 { return countNonFinite<f64>(x, n); }
