// Batch normalization over the rows of x [m, n] (one feature per column) in four passes a step:
// statistics (two reads of x), normalize (one read, two writes), and in the backward pass the
// column sums of dy and dy⊙x̂ (one read of each) and the input gradient (one pass). Column sums run
// down the rows from row 0, as the axis-0 reductions do, vectorized across columns. The passes with
// column sums take the row stride `ld` apart from the columns `n` they handle, so that a call may
// cover a range of columns (a part of a split call) and sum each one exactly as a call on all would.
import { lanes, sqrt } from './math';

/** out[j] = Σ_i x[i][j], or Σ_i (x[i][j] − c[j])² when `centered`, in T, for n columns of rows `ld` elements apart. */
@inline function columnSums<T>(centered: bool, x: usize, c: usize, m: i32, n: i32, ld: i32, out: usize): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  for (let i = 0; i < m; i++) {
    const row = x + (<usize>i * ld) * E;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + L <= n; j += L) {
        const o = (<usize>j) * E;
        let t = v128.load(row + o);
        if (centered) {
          t = v128.sub<T>(t, v128.load(c + o));
          t = v128.mul<T>(t, t);
        }
        v128.store(out + o, i == 0 ? t : v128.add<T>(v128.load(out + o), t));
      }
    }
    for (; j < n; j++) {
      const o = (<usize>j) * E;
      let t = load<T>(row + o);
      if (centered) {
        t = t - load<T>(c + o);
        t = t * t;
      }
      store<T>(out + o, i == 0 ? t : load<T>(out + o) + t);
    }
  }
}

/**
 * Per column of x (rows `ld` elements apart): mean = Σx·(1/m), the biased variance
 * Σ(x − mean)²·(1/m), and std = √(variance + ε).
 */
export function batchNormStatistics<T>(x: usize, m: i32, n: i32, ld: i32, eps: T, mean: usize, variance: usize, std: usize): void {
  const E = sizeof<T>();
  const scale = <T>1 / <T>m;
  columnSums<T>(false, x, 0, m, n, ld, mean);
  for (let j = 0; j < n; j++) {
    const o = (<usize>j) * E;
    store<T>(mean + o, load<T>(mean + o) * scale);
  }
  columnSums<T>(true, x, mean, m, n, ld, variance);
  for (let j = 0; j < n; j++) {
    const o = (<usize>j) * E;
    const v = load<T>(variance + o) * scale;
    store<T>(variance + o, v);
    store<T>(std + o, sqrt<T>(v + eps));
  }
}

/** x̂ = (x − mean)/std and y = x̂·γ + β, per column. */
export function batchNormNormalize<T>(
  x: usize, m: i32, n: i32, mean: usize, std: usize, gamma: usize, beta: usize, xhat: usize, y: usize,
): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  for (let i = 0; i < m; i++) {
    const r = (<usize>i * n) * E;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + L <= n; j += L) {
        const o = (<usize>j) * E;
        const h = v128.div<T>(v128.sub<T>(v128.load(x + r + o), v128.load(mean + o)), v128.load(std + o));
        v128.store(xhat + r + o, h);
        v128.store(y + r + o, v128.add<T>(v128.mul<T>(h, v128.load(gamma + o)), v128.load(beta + o)));
      }
    }
    for (; j < n; j++) {
      const o = (<usize>j) * E;
      const h = (load<T>(x + r + o) - load<T>(mean + o)) / load<T>(std + o);
      store<T>(xhat + r + o, h);
      store<T>(y + r + o, h * load<T>(gamma + o) + load<T>(beta + o));
    }
  }
}

/** dβ = Σ_i dy and dγ = Σ_i dy⊙x̂, per column, in one pass over dy and x̂ (rows `ld` elements apart). */
export function batchNormBackwardSums<T>(dy: usize, xhat: usize, m: i32, n: i32, ld: i32, dBeta: usize, dGamma: usize): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  for (let i = 0; i < m; i++) {
    const r = (<usize>i * ld) * E;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + L <= n; j += L) {
        const o = (<usize>j) * E;
        const d = v128.load(dy + r + o);
        const p = v128.mul<T>(d, v128.load(xhat + r + o));
        v128.store(dBeta + o, i == 0 ? d : v128.add<T>(v128.load(dBeta + o), d));
        v128.store(dGamma + o, i == 0 ? p : v128.add<T>(v128.load(dGamma + o), p));
      }
    }
    for (; j < n; j++) {
      const o = (<usize>j) * E;
      const d = load<T>(dy + r + o);
      const p = d * load<T>(xhat + r + o);
      store<T>(dBeta + o, i == 0 ? d : load<T>(dBeta + o) + d);
      store<T>(dGamma + o, i == 0 ? p : load<T>(dGamma + o) + p);
    }
  }
}

/**
 * The input gradient of batch normalization in training mode, the batch statistics' share included:
 * dx = ((m·dy − dβ) − x̂·dγ)·scale, with scale = γ/(m·std) per column, for `rows` rows of dy, x̂ and
 * dx (all of the batch's m rows, or a part of them).
 */
export function batchNormBackwardInput<T>(
  dy: usize, xhat: usize, rows: i32, n: i32, m: i32, dBeta: usize, dGamma: usize, scale: usize, dx: usize,
): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  const mt = <T>m;
  for (let i = 0; i < rows; i++) {
    const r = (<usize>i * n) * E;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const mv = v128.splat<T>(mt);
      for (; j + L <= n; j += L) {
        const o = (<usize>j) * E;
        const a = v128.sub<T>(v128.mul<T>(v128.load(dy + r + o), mv), v128.load(dBeta + o));
        const b = v128.sub<T>(a, v128.mul<T>(v128.load(xhat + r + o), v128.load(dGamma + o)));
        v128.store(dx + r + o, v128.mul<T>(b, v128.load(scale + o)));
      }
    }
    for (; j < n; j++) {
      const o = (<usize>j) * E;
      const a = load<T>(dy + r + o) * mt - load<T>(dBeta + o);
      const b = a - load<T>(xhat + r + o) * load<T>(dGamma + o);
      store<T>(dx + r + o, b * load<T>(scale + o));
    }
  }
}
