// Plain float64 JavaScript references for the kernel tests, and input generators independent of
// the library's own generator (a tiny LCG), so a bug in createRng cannot hide one in an op.

/** The smallest normal numbers: 2^-126 (float32) and 2^-1022 (float64). */
export const SMALLEST_NORMAL = { float32: 2 ** -126, float64: 2 ** -1022 } as const;
/** The smallest subnormal numbers: 2^-149 (float32) and 2^-1074 (float64). */
export const SMALLEST_SUBNORMAL = { float32: 2 ** -149, float64: 2 ** -1074 } as const;

/** Tolerances per dtype: relative to the magnitude of what was summed. */
export const TOLERANCE = { float32: 2e-6, float64: 1e-12 } as const;

export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** n values uniform in [-1, 1), rounded to float32 so both dtypes see the same inputs. */
export function randomValues(n: number, seed: number): number[] {
  const next = lcg(seed);
  return Array.from({ length: n }, () => Math.fround(next() * 2 - 1));
}

/** Reference product of row-major matrices, op(A) m×k times op(B) k×n, in float64. */
export function referenceMatmul(
  a: ArrayLike<number>, b: ArrayLike<number>, m: number, n: number, k: number, transA: boolean, transB: boolean,
): { values: Float64Array; magnitude: Float64Array } {
  const values = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let mag = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * m + i] : a[i * k + p];
        const bv = transB ? b[j * k + p] : b[p * n + j];
        s += av * bv;
        mag += Math.abs(av * bv);
      }
      values[i * n + j] = s;
      magnitude[i * n + j] = mag;
    }
  }
  return { values, magnitude };
}

/** Largest |got − want| / (scale + tiny) over all elements; `scale` defaults to |want|. */
export function maxRelativeError(got: ArrayLike<number>, want: ArrayLike<number>, scale?: ArrayLike<number>): number {
  if (got.length !== want.length) throw new Error(`length ${got.length} ≠ ${want.length}`);
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const s = scale ? scale[i] : Math.abs(want[i]);
    const err = Math.abs(got[i] - want[i]) / Math.max(s, 1e-30);
    if (got[i] !== want[i]) worst = Math.max(worst, Number.isNaN(err) ? Number.POSITIVE_INFINITY : err);
  }
  return worst;
}

/** FNV-1a over the bytes of a typed array: a fingerprint for bit-identity checks. */
export function fingerprint(values: Float32Array | Float64Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
