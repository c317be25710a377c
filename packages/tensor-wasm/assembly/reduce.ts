// Reductions over one axis of a tensor viewed as [outer, n, inner]: out[o, i] = reduce_j x[o, j, i],
// and column sums over a range of columns of a matrix, with the additions of an axis-0 sum.
import { lanes } from './math';

/** Op codes of the `reduce` kernel. */
export namespace ReduceOp {
  export const SUM = 0, MEAN = 1, MAX = 2, MIN = 3;
}

@inline function combine<T>(op: i32, acc: T, x: T): T {
  if (op == ReduceOp.MAX) return x > acc || x != x ? x : acc;
  if (op == ReduceOp.MIN) return x < acc || x != x ? x : acc;
  return acc + x;
}

@inline function combineVector<T>(op: i32, acc: v128, x: v128): v128 {
  if (op == ReduceOp.MAX) return v128.max<T>(acc, x);
  if (op == ReduceOp.MIN) return v128.min<T>(acc, x);
  return v128.add<T>(acc, x);
}

/**
 * Terms of {@link columnSums}: x, (x − c)² with c per column, or both x (into out) and x⊙c with c a
 * matrix like x (into out2) in one pass.
 */
export namespace ColumnTerm {
  export const PLAIN = 0, CENTERED_SQUARE = 1, PLAIN_AND_PRODUCT = 2;
}

/**
 * Rows per tile of column sums ({@link columnSums}, the bias gradient in fused.ts): a tile's sums
 * stay in registers and are stored once, so the parts of a call split over columns do not write the
 * cache line they share at their boundary row after row, and the tile's rows are still in L1 when
 * the next columns need them.
 */
export const ROW_TILE = 32;

/** The term (into out) of x's vector t, with cv the vector of c at its columns (CENTERED_SQUARE). */
@inline function vectorTerm<T>(kind: i32, t: v128, cv: v128): v128 {
  if (kind != ColumnTerm.CENTERED_SQUARE) return t;
  const d = v128.sub<T>(t, cv);
  return v128.mul<T>(d, d);
}

@inline function scalarTerm<T>(kind: i32, t: T, cv: T): T {
  if (kind != ColumnTerm.CENTERED_SQUARE) return t;
  const d = t - cv;
  return d * d;
}

/** c's vector at byte `column` of a row when the term centers on it. */
@inline function centerVector(kind: i32, c: usize, column: usize): v128 {
  return kind == ColumnTerm.CENTERED_SQUARE ? v128.load(c + column) : v128.splat<i32>(0);
}

/**
 * out[j] = Σ_i term(i, j) over the m rows of n columns of x, rows `ld` elements apart (and, for
 * PLAIN_AND_PRODUCT, out2[j] = Σ_i x⊙c): from row 0 down, each column's additions in row order as an
 * axis-0 sum makes them (row 0's term, then + row 1's, …), vectorized across columns. A call on a
 * range of columns sums each one as a call on all does.
 */
@inline export function columnSums<T>(kind: i32, x: usize, c: usize, m: i32, n: i32, ld: i32, out: usize, out2: usize = 0): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  const both = kind == ColumnTerm.PLAIN_AND_PRODUCT;
  const stride = (<usize>ld) * E;
  for (let i0 = 0; i0 < m; i0 += ROW_TILE) {
    const i1 = i0 + ROW_TILE < m ? i0 + ROW_TILE : m;
    const top = (<usize>i0) * stride;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      // Four vectors at a time: independent chains of additions.
      for (; j + 4 * L <= n; j += 4 * L) {
        const o = (<usize>j) * E;
        const c0 = centerVector(kind, c, o);
        const c1 = centerVector(kind, c, o + 16);
        const c2 = centerVector(kind, c, o + 32);
        const c3 = centerVector(kind, c, o + 48);
        let t0 = v128.load(x + top + o);
        let t1 = v128.load(x + top + o + 16);
        let t2 = v128.load(x + top + o + 32);
        let t3 = v128.load(x + top + o + 48);
        let a0 = vectorTerm<T>(kind, t0, c0);
        let a1 = vectorTerm<T>(kind, t1, c1);
        let a2 = vectorTerm<T>(kind, t2, c2);
        let a3 = vectorTerm<T>(kind, t3, c3);
        let b0 = both ? v128.mul<T>(t0, v128.load(c + top + o)) : t0;
        let b1 = both ? v128.mul<T>(t1, v128.load(c + top + o + 16)) : t1;
        let b2 = both ? v128.mul<T>(t2, v128.load(c + top + o + 32)) : t2;
        let b3 = both ? v128.mul<T>(t3, v128.load(c + top + o + 48)) : t3;
        if (i0 > 0) {
          a0 = v128.add<T>(v128.load(out + o), a0);
          a1 = v128.add<T>(v128.load(out + o + 16), a1);
          a2 = v128.add<T>(v128.load(out + o + 32), a2);
          a3 = v128.add<T>(v128.load(out + o + 48), a3);
          if (both) {
            b0 = v128.add<T>(v128.load(out2 + o), b0);
            b1 = v128.add<T>(v128.load(out2 + o + 16), b1);
            b2 = v128.add<T>(v128.load(out2 + o + 32), b2);
            b3 = v128.add<T>(v128.load(out2 + o + 48), b3);
          }
        }
        for (let i = i0 + 1; i < i1; i++) {
          const r = (<usize>i) * stride + o;
          t0 = v128.load(x + r);
          t1 = v128.load(x + r + 16);
          t2 = v128.load(x + r + 32);
          t3 = v128.load(x + r + 48);
          a0 = v128.add<T>(a0, vectorTerm<T>(kind, t0, c0));
          a1 = v128.add<T>(a1, vectorTerm<T>(kind, t1, c1));
          a2 = v128.add<T>(a2, vectorTerm<T>(kind, t2, c2));
          a3 = v128.add<T>(a3, vectorTerm<T>(kind, t3, c3));
          if (both) {
            b0 = v128.add<T>(b0, v128.mul<T>(t0, v128.load(c + r)));
            b1 = v128.add<T>(b1, v128.mul<T>(t1, v128.load(c + r + 16)));
            b2 = v128.add<T>(b2, v128.mul<T>(t2, v128.load(c + r + 32)));
            b3 = v128.add<T>(b3, v128.mul<T>(t3, v128.load(c + r + 48)));
          }
        }
        v128.store(out + o, a0);
        v128.store(out + o + 16, a1);
        v128.store(out + o + 32, a2);
        v128.store(out + o + 48, a3);
        if (both) {
          v128.store(out2 + o, b0);
          v128.store(out2 + o + 16, b1);
          v128.store(out2 + o + 32, b2);
          v128.store(out2 + o + 48, b3);
        }
      }
      for (; j + L <= n; j += L) {
        const o = (<usize>j) * E;
        const c0 = centerVector(kind, c, o);
        let t = v128.load(x + top + o);
        let a = vectorTerm<T>(kind, t, c0);
        let b = both ? v128.mul<T>(t, v128.load(c + top + o)) : t;
        if (i0 > 0) {
          a = v128.add<T>(v128.load(out + o), a);
          if (both) b = v128.add<T>(v128.load(out2 + o), b);
        }
        for (let i = i0 + 1; i < i1; i++) {
          const r = (<usize>i) * stride + o;
          t = v128.load(x + r);
          a = v128.add<T>(a, vectorTerm<T>(kind, t, c0));
          if (both) b = v128.add<T>(b, v128.mul<T>(t, v128.load(c + r)));
        }
        v128.store(out + o, a);
        if (both) v128.store(out2 + o, b);
      }
    }
    for (; j < n; j++) {
      const o = (<usize>j) * E;
      const cs = kind == ColumnTerm.CENTERED_SQUARE ? load<T>(c + o) : <T>0;
      let t = load<T>(x + top + o);
      let a = scalarTerm<T>(kind, t, cs);
      let b = both ? t * load<T>(c + top + o) : t;
      if (i0 > 0) {
        a = load<T>(out + o) + a;
        if (both) b = load<T>(out2 + o) + b;
      }
      for (let i = i0 + 1; i < i1; i++) {
        const r = (<usize>i) * stride + o;
        t = load<T>(x + r);
        a = a + scalarTerm<T>(kind, t, cs);
        if (both) b = b + t * load<T>(c + r);
      }
      store<T>(out + o, a);
      if (both) store<T>(out2 + o, b);
    }
  }
}

@inline function reduceLoop<T>(op: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  const scale = op == ReduceOp.MEAN ? <T>1 / <T>n : <T>1;
  for (let o = 0; o < outer; o++) {
    const base = x + (<usize>o * n * inner) * E;
    const dst = out + (<usize>o * inner) * E;
    // Accumulate row j of the slab into the output row: contiguous along i, so it vectorizes.
    for (let i = 0; i < inner; i++) store<T>(dst + (<usize>i) * E, load<T>(base + (<usize>i) * E));
    for (let j = 1; j < n; j++) {
      const row = base + (<usize>j * inner) * E;
      let i = 0;
      if (ASC_FEATURE_SIMD) {
        for (; i + L <= inner; i += L) {
          const p = (<usize>i) * E;
          v128.store(dst + p, combineVector<T>(op, v128.load(dst + p), v128.load(row + p)));
        }
      }
      for (; i < inner; i++) {
        const p = (<usize>i) * E;
        store<T>(dst + p, combine<T>(op, load<T>(dst + p), load<T>(row + p)));
      }
    }
    if (op == ReduceOp.MEAN) for (let i = 0; i < inner; i++) store<T>(dst + (<usize>i) * E, load<T>(dst + (<usize>i) * E) * scale);
  }
}

/** Reduction along a contiguous axis (inner == 1): L partial accumulators, combined at the end. */
@inline function reduceRows<T>(op: i32, x: usize, out: usize, outer: i32, n: i32): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  for (let o = 0; o < outer; o++) {
    const row = x + (<usize>o * n) * E;
    let acc = load<T>(row);
    let j = 1;
    if (ASC_FEATURE_SIMD && n >= 2 * L) {
      let v = v128.load(row);
      for (j = L; j + L <= n; j += L) v = combineVector<T>(op, v, v128.load(row + (<usize>j) * E));
      acc = v128.extract_lane<T>(v, 0);
      for (let l: u8 = 1; l < <u8>L; l++) {
        const lane = isF32Lane<T>(v, l);
        acc = combine<T>(op, acc, lane);
      }
    }
    for (; j < n; j++) acc = combine<T>(op, acc, load<T>(row + (<usize>j) * E));
    store<T>(out + (<usize>o) * E, op == ReduceOp.MEAN ? acc / <T>n : acc);
  }
}

@inline function isF32Lane<T>(v: v128, l: u8): T {
  // extract_lane needs a constant lane index.
  if (sizeof<T>() == 4) {
    if (l == 1) return <T>f32x4.extract_lane(v, 1);
    if (l == 2) return <T>f32x4.extract_lane(v, 2);
    return <T>f32x4.extract_lane(v, 3);
  }
  return <T>f64x2.extract_lane(v, 1);
}

export function reduce<T>(op: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  if (inner == 1) {
    switch (op) {
      case ReduceOp.SUM: reduceRows<T>(ReduceOp.SUM, x, out, outer, n); break;
      case ReduceOp.MEAN: reduceRows<T>(ReduceOp.MEAN, x, out, outer, n); break;
      case ReduceOp.MAX: reduceRows<T>(ReduceOp.MAX, x, out, outer, n); break;
      default: reduceRows<T>(ReduceOp.MIN, x, out, outer, n);
    }
    return;
  }
  switch (op) {
    case ReduceOp.SUM: reduceLoop<T>(ReduceOp.SUM, x, out, outer, n, inner); break;
    case ReduceOp.MEAN: reduceLoop<T>(ReduceOp.MEAN, x, out, outer, n, inner); break;
    case ReduceOp.MAX: reduceLoop<T>(ReduceOp.MAX, x, out, outer, n, inner); break;
    default: reduceLoop<T>(ReduceOp.MIN, x, out, outer, n, inner);
  }
}
