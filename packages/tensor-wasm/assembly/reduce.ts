// Reductions over one axis of a tensor viewed as [outer, n, inner]: out[o, i] = reduce_j x[o, j, i].
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
