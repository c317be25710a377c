// Fused kernels for what training does most: the bias + activation after a dense layer's gemm,
// its backward (dz and db in one pass), softmax / sigmoid cross-entropy from logits (loss and
// gradient in one pass), and y += α·x.
import { Activation, derivative, derivativeVector } from './activation';
import { exp, lanes, log, sigmoid, tanh } from './math';
import { ROW_TILE } from './reduce';

@inline function activate<T>(op: i32, z: T, alpha: T): T {
  if (op == Activation.RELU) return z > <T>0 ? z : <T>0;
  if (op == Activation.LEAKY_RELU) return z > <T>0 ? z : z * alpha;
  if (op == Activation.SIGMOID) return sigmoid<T>(z);
  if (op == Activation.TANH) return tanh<T>(z);
  return z;
}

@inline function biasActivationLoop<T>(op: i32, z: usize, b: usize, out: usize, rowStart: i32, rowEnd: i32, cols: i32, alpha: T): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  for (let i = rowStart; i < rowEnd; i++) {
    const zr = z + (<usize>i * cols) * E;
    const orow = out + (<usize>i * cols) * E;
    let j = 0;
    if (ASC_FEATURE_SIMD && (op == Activation.RELU || op == Activation.LEAKY_RELU || op == Activation.LINEAR)) {
      const zero = v128.splat<T>(<T>0);
      const av = v128.splat<T>(alpha);
      for (; j + L <= cols; j += L) {
        const p = (<usize>j) * E;
        let v = v128.load(zr + p);
        if (b != 0) v = v128.add<T>(v, v128.load(b + p));
        if (op == Activation.RELU) v = v128.and(v, v128.gt<T>(v, zero));
        else if (op == Activation.LEAKY_RELU) v = v128.bitselect(v, v128.mul<T>(v, av), v128.gt<T>(v, zero));
        v128.store(orow + p, v);
      }
    }
    for (; j < cols; j++) {
      const p = (<usize>j) * E;
      let v = load<T>(zr + p);
      if (b != 0) v += load<T>(b + p);
      store<T>(orow + p, activate<T>(op, v, alpha));
    }
  }
}

/** out = act(z + b) row by row (b may be 0: no bias); out may be z. */
export function biasActivation<T>(op: i32, z: usize, b: usize, out: usize, rowStart: i32, rowEnd: i32, cols: i32, alpha: T): void {
  switch (op) {
    case Activation.RELU: biasActivationLoop<T>(Activation.RELU, z, b, out, rowStart, rowEnd, cols, alpha); break;
    case Activation.LEAKY_RELU: biasActivationLoop<T>(Activation.LEAKY_RELU, z, b, out, rowStart, rowEnd, cols, alpha); break;
    case Activation.SIGMOID: biasActivationLoop<T>(Activation.SIGMOID, z, b, out, rowStart, rowEnd, cols, alpha); break;
    case Activation.TANH: biasActivationLoop<T>(Activation.TANH, z, b, out, rowStart, rowEnd, cols, alpha); break;
    default: biasActivationLoop<T>(Activation.LINEAR, z, b, out, rowStart, rowEnd, cols, alpha);
  }
}

/** dz = dy ⊙ act'(from y) row by row, rows `ld` elements apart. */
@inline function activationBackwardRows<T>(op: i32, dy: usize, y: usize, dz: usize, rows: i32, cols: i32, ld: i32, alpha: T): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  for (let i = 0; i < rows; i++) {
    const off = (<usize>i * ld) * E;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const av = v128.splat<T>(alpha);
      for (; j + L <= cols; j += L) {
        const p = (<usize>j) * E;
        v128.store(dz + off + p, derivativeVector<T>(op, v128.load(dy + off + p), v128.load(y + off + p), av));
      }
    }
    for (; j < cols; j++) {
      const p = (<usize>j) * E;
      store<T>(dz + off + p, derivative<T>(op, load<T>(dy + off + p), load<T>(y + off + p), alpha));
    }
  }
}

/** dz as above and db = Σ over rows of dz, from +0 and row 0 down, in tiles of rows; four vectors of columns at a time. */
@inline function activationBackwardColumns<T>(op: i32, dy: usize, y: usize, dz: usize, db: usize, rows: i32, cols: i32, ld: i32, alpha: T): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  const stride = (<usize>ld) * E;
  for (let i0 = 0; i0 < rows; i0 += ROW_TILE) {
    const i1 = i0 + ROW_TILE < rows ? i0 + ROW_TILE : rows;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const av = v128.splat<T>(alpha);
      const zero = v128.splat<T>(<T>0);
      for (; j + 4 * L <= cols; j += 4 * L) {
        const p = (<usize>j) * E;
        let a0 = i0 == 0 ? zero : v128.load(db + p);
        let a1 = i0 == 0 ? zero : v128.load(db + p + 16);
        let a2 = i0 == 0 ? zero : v128.load(db + p + 32);
        let a3 = i0 == 0 ? zero : v128.load(db + p + 48);
        for (let i = i0; i < i1; i++) {
          const r = (<usize>i) * stride + p;
          const d0 = derivativeVector<T>(op, v128.load(dy + r), v128.load(y + r), av);
          const d1 = derivativeVector<T>(op, v128.load(dy + r + 16), v128.load(y + r + 16), av);
          const d2 = derivativeVector<T>(op, v128.load(dy + r + 32), v128.load(y + r + 32), av);
          const d3 = derivativeVector<T>(op, v128.load(dy + r + 48), v128.load(y + r + 48), av);
          v128.store(dz + r, d0);
          v128.store(dz + r + 16, d1);
          v128.store(dz + r + 32, d2);
          v128.store(dz + r + 48, d3);
          a0 = v128.add<T>(a0, d0);
          a1 = v128.add<T>(a1, d1);
          a2 = v128.add<T>(a2, d2);
          a3 = v128.add<T>(a3, d3);
        }
        v128.store(db + p, a0);
        v128.store(db + p + 16, a1);
        v128.store(db + p + 32, a2);
        v128.store(db + p + 48, a3);
      }
      for (; j + L <= cols; j += L) {
        const p = (<usize>j) * E;
        let a = i0 == 0 ? zero : v128.load(db + p);
        for (let i = i0; i < i1; i++) {
          const r = (<usize>i) * stride + p;
          const d = derivativeVector<T>(op, v128.load(dy + r), v128.load(y + r), av);
          v128.store(dz + r, d);
          a = v128.add<T>(a, d);
        }
        v128.store(db + p, a);
      }
    }
    for (; j < cols; j++) {
      const p = (<usize>j) * E;
      let a = i0 == 0 ? <T>0 : load<T>(db + p);
      for (let i = i0; i < i1; i++) {
        const r = (<usize>i) * stride + p;
        const d = derivative<T>(op, load<T>(dy + r), load<T>(y + r), alpha);
        store<T>(dz + r, d);
        a = a + d;
      }
      store<T>(db + p, a);
    }
  }
}

@inline function activationBackwardLoop<T>(op: i32, dy: usize, y: usize, dz: usize, db: usize, rows: i32, cols: i32, ld: i32, alpha: T): void {
  if (db == 0) activationBackwardRows<T>(op, dy, y, dz, rows, cols, ld, alpha);
  else activationBackwardColumns<T>(op, dy, y, dz, db, rows, cols, ld, alpha);
}

/**
 * dz = dy ⊙ act'(from the output y); when db ≠ 0 also db = Σ over rows of dz (from +0, row 0 first).
 * dz may be dy. The `cols` columns may be a range of the matrices' columns, their rows `ld` elements
 * apart (a part of a call split over columns).
 */
export function activationBackward<T>(op: i32, dy: usize, y: usize, dz: usize, db: usize, rows: i32, cols: i32, ld: i32, alpha: T): void {
  switch (op) {
    case Activation.RELU: activationBackwardLoop<T>(Activation.RELU, dy, y, dz, db, rows, cols, ld, alpha); break;
    case Activation.LEAKY_RELU: activationBackwardLoop<T>(Activation.LEAKY_RELU, dy, y, dz, db, rows, cols, ld, alpha); break;
    case Activation.SIGMOID: activationBackwardLoop<T>(Activation.SIGMOID, dy, y, dz, db, rows, cols, ld, alpha); break;
    case Activation.TANH: activationBackwardLoop<T>(Activation.TANH, dy, y, dz, db, rows, cols, ld, alpha); break;
    default: activationBackwardLoop<T>(Activation.LINEAR, dy, y, dz, db, rows, cols, ld, alpha);
  }
}

/**
 * Softmax cross-entropy from logits, one pass per row: returns Σ_rows loss (in f64) and, when
 * grad ≠ 0, writes grad = (softmax − y)·scale. Labels are one-hot/probability rows of T
 * (classIds = false) or i32 class ids (classIds = true). When losses ≠ 0 it also writes each row's
 * loss there (f64): a call split over rows sums those in row order, the same additions as one call.
 */
export function softmaxCrossEntropy<T>(logits: usize, labels: usize, classIds: bool, grad: usize, rows: i32, cols: i32, scale: T, losses: usize): f64 {
  const E = sizeof<T>();
  let total: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const zr = logits + (<usize>i * cols) * E;
    let m = load<T>(zr);
    for (let j = 1; j < cols; j++) {
      const v = load<T>(zr + (<usize>j) * E);
      if (v > m) m = v;
    }
    let s = <T>0;
    for (let j = 0; j < cols; j++) s += exp<T>(load<T>(zr + (<usize>j) * E) - m);
    const lse = m + log<T>(s);
    const inv = <T>1 / s;
    const yr = labels + (<usize>i * cols) * E;
    const label = classIds ? load<i32>(labels + (<usize>i) * 4) : -1;
    let loss: f64 = 0;
    for (let j = 0; j < cols; j++) {
      const z = load<T>(zr + (<usize>j) * E);
      const y = classIds ? (j == label ? <T>1 : <T>0) : load<T>(yr + (<usize>j) * E);
      if (y != <T>0) loss += <f64>y * <f64>(lse - z);
      if (grad != 0) store<T>(grad + (<usize>i * cols + j) * E, (exp<T>(z - m) * inv - y) * scale);
    }
    if (losses != 0) store<f64>(losses + (<usize>i) * 8, loss);
    total += loss;
  }
  return total;
}

/**
 * Binary cross-entropy from logits, elementwise: max(z, 0) − z·t + log(1 + e^−|z|), stable for any z.
 * Returns the sum (f64); when grad ≠ 0 writes (σ(z) − t)·scale; when losses ≠ 0 writes each
 * element's loss there (f64), for a split call to sum in element order.
 */
export function sigmoidCrossEntropy<T>(logits: usize, targets: usize, grad: usize, n: i32, scale: T, losses: usize): f64 {
  const E = sizeof<T>();
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const p = (<usize>i) * E;
    const z = load<T>(logits + p);
    const t = load<T>(targets + p);
    const az = z < <T>0 ? -z : z;
    const l1p = isFloat<T>() && sizeof<T>() == 4 ? <T>Mathf.log1p(<f32>exp<T>(-az)) : <T>Math.log1p(<f64>exp<T>(-az));
    const loss = <f64>((z > <T>0 ? z : <T>0) - z * t + l1p);
    if (losses != 0) store<f64>(losses + (<usize>i) * 8, loss);
    total += loss;
    if (grad != 0) store<T>(grad + p, (sigmoid<T>(z) - t) * scale);
  }
  return total;
}

/**
 * y += α·x, or y += α·sign(x) when `signOnly` (sign 0 at ±0: the L1 term of a gradient, without a
 * temporary), over n elements.
 */
@inline function scaledAddLoop<T>(signOnly: bool, alpha: T, x: usize, y: usize, n: i32): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const a = v128.splat<T>(alpha);
    const zero = v128.splat<T>(<T>0);
    for (; i + L <= n; i += L) {
      const p = (<usize>i) * E;
      const v = v128.load(x + p);
      // sign: (x > 0)·α − (x < 0)·α, from the comparison masks.
      const step = signOnly
        ? v128.sub<T>(v128.and(a, v128.gt<T>(v, zero)), v128.and(a, v128.lt<T>(v, zero)))
        : v128.mul<T>(a, v);
      v128.store(y + p, v128.add<T>(v128.load(y + p), step));
    }
  }
  for (; i < n; i++) {
    const p = (<usize>i) * E;
    const v = load<T>(x + p);
    const step = signOnly ? (v > <T>0 ? alpha : v < <T>0 ? -alpha : <T>0) : alpha * v;
    store<T>(y + p, load<T>(y + p) + step);
  }
}

/** y += α·x over n elements. */
export function axpy<T>(alpha: T, x: usize, y: usize, n: i32): void {
  scaledAddLoop<T>(false, alpha, x, y, n);
}

/** y += α·sign(x) over n elements (sign 0 at ±0). */
export function axpySign<T>(alpha: T, x: usize, y: usize, n: i32): void {
  scaledAddLoop<T>(true, alpha, x, y, n);
}

/** x² (power = 2) or |x| (power = 1) of each f64 lane. */
@inline function powerLanes(v: v128, power: i32): v128 {
  return power == 2 ? f64x2.mul(v, v) : f64x2.abs(v);
}

/** x² (power = 2) or |x| (power = 1) of element i, in f64. */
@inline function powerAt<T>(x: usize, i: i32, power: i32): f64 {
  const v = <f64>load<T>(x + (<usize>i) * sizeof<T>());
  return power == 2 ? v * v : Math.abs(v);
}

/**
 * Σ x² (power = 2) or Σ |x| (power = 1), accumulated in f64. Eight partial sums, element i going to
 * sum i mod 8, keep the adds independent (one chain would wait on the add's latency every element),
 * and they are combined in one fixed order. The scalar loops (the scalar build, and the tail) follow
 * the same assignment, so both builds return the same bits.
 */
export function sumPower<T>(x: usize, n: i32, power: i32): f64 {
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0, s4: f64 = 0, s5: f64 = 0, s6: f64 = 0, s7: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let s01 = f64x2.splat(0), s23 = f64x2.splat(0), s45 = f64x2.splat(0), s67 = f64x2.splat(0);
    for (; i + 8 <= n; i += 8) {
      const p = x + (<usize>i) * sizeof<T>();
      let v01: v128, v23: v128, v45: v128, v67: v128;
      if (sizeof<T>() == 4) {
        const a = v128.load(p), b = v128.load(p, 16);
        v01 = f64x2.promote_low_f32x4(a);
        v23 = f64x2.promote_low_f32x4(v128.shuffle<f64>(a, a, 1, 1));
        v45 = f64x2.promote_low_f32x4(b);
        v67 = f64x2.promote_low_f32x4(v128.shuffle<f64>(b, b, 1, 1));
      } else {
        v01 = v128.load(p);
        v23 = v128.load(p, 16);
        v45 = v128.load(p, 32);
        v67 = v128.load(p, 48);
      }
      s01 = f64x2.add(s01, powerLanes(v01, power));
      s23 = f64x2.add(s23, powerLanes(v23, power));
      s45 = f64x2.add(s45, powerLanes(v45, power));
      s67 = f64x2.add(s67, powerLanes(v67, power));
    }
    s0 = f64x2.extract_lane(s01, 0); s1 = f64x2.extract_lane(s01, 1);
    s2 = f64x2.extract_lane(s23, 0); s3 = f64x2.extract_lane(s23, 1);
    s4 = f64x2.extract_lane(s45, 0); s5 = f64x2.extract_lane(s45, 1);
    s6 = f64x2.extract_lane(s67, 0); s7 = f64x2.extract_lane(s67, 1);
  }
  for (; i + 8 <= n; i += 8) {
    s0 += powerAt<T>(x, i, power); s1 += powerAt<T>(x, i + 1, power);
    s2 += powerAt<T>(x, i + 2, power); s3 += powerAt<T>(x, i + 3, power);
    s4 += powerAt<T>(x, i + 4, power); s5 += powerAt<T>(x, i + 5, power);
    s6 += powerAt<T>(x, i + 6, power); s7 += powerAt<T>(x, i + 7, power);
  }
  // The tail: fewer than 8 elements, element i + j to sum j.
  const r = n - i;
  if (r > 0) s0 += powerAt<T>(x, i, power);
  if (r > 1) s1 += powerAt<T>(x, i + 1, power);
  if (r > 2) s2 += powerAt<T>(x, i + 2, power);
  if (r > 3) s3 += powerAt<T>(x, i + 3, power);
  if (r > 4) s4 += powerAt<T>(x, i + 4, power);
  if (r > 5) s5 += powerAt<T>(x, i + 5, power);
  if (r > 6) s6 += powerAt<T>(x, i + 6, power);
  return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
}
