// General matrix product C = op(A)·op(B) (+ C), the way fast BLAS kernels are built:
// A and B are packed block by block into contiguous panels (transposes are resolved while packing,
// so every transpose combination runs the same micro-kernel), and a register-tiled micro-kernel
// computes MR×NR tiles of C from the panels.

/** Rows of a micro-tile. */
export const MR: i32 = 4;
/** Depth of a packed block (the k loop). A panel of B (NR×KC) stays in L1. */
export const KC: i32 = 256;
/** Rows of a packed A block (MC×KC stays in L2). A multiple of MR. */
export const MC: i32 = 64;
/** Columns of a packed B block (KC×NC stays in L2). */
export const NC_F32: i32 = 256;
export const NC_F64: i32 = 128;

/** Columns of a micro-tile: two vectors per row (8 for f32, 4 for f64). */
@inline function nrOf<T>(): i32 {
  return (32 / sizeof<T>()) as i32;
}

@inline function ncOf<T>(): i32 {
  return sizeof<T>() == 4 ? NC_F32 : NC_F64;
}

/** Bytes of scratch a gemm needs: the packed A block, the packed B block and one tile. */
export function gemmScratchBytes<T>(): i32 {
  return (MC * KC + KC * ncOf<T>() + MR * nrOf<T>()) * (sizeof<T>() as i32);
}

/** Packs op(B)[pc:pc+kc, jc:jc+nc] into panels of NR columns, each kc×NR row-major, zero-padded. */
function packB<T>(b: usize, ldb: i32, transB: bool, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  const E = sizeof<T>();
  const NR = nrOf<T>();
  for (let p = 0; p < nc; p += NR) {
    const cols = min(NR, nc - p);
    const panel = dst + (<usize>(p * kc)) * E;
    if (!transB) {
      let src = b + (<usize>pc * ldb + jc + p) * E;
      const step = <usize>ldb * E;
      if (ASC_FEATURE_SIMD && cols == NR) {
        for (let kk = 0; kk < kc; kk++) {
          const d = panel + (<usize>kk) * 32;
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
          src += step;
        }
      } else {
        for (let kk = 0; kk < kc; kk++) {
          const d = panel + (<usize>(kk * NR)) * E;
          for (let j = 0; j < NR; j++) {
            store<T>(d + (<usize>j) * E, j < cols ? load<T>(src + (<usize>j) * E) : <T>0);
          }
          src += step;
        }
      }
    } else {
      // B is stored N×K: element (k, j) sits at b[j*ldb + k].
      for (let j = 0; j < NR; j++) {
        const d = panel + (<usize>j) * E;
        if (j < cols) {
          const src = b + (<usize>(jc + p + j) * ldb + pc) * E;
          for (let kk = 0; kk < kc; kk++) {
            store<T>(d + (<usize>(kk * NR)) * E, load<T>(src + (<usize>kk) * E));
          }
        } else {
          for (let kk = 0; kk < kc; kk++) store<T>(d + (<usize>(kk * NR)) * E, <T>0);
        }
      }
    }
  }
}

/** Packs op(A)[ic:ic+mc, pc:pc+kc] into panels of MR rows, each kc×MR, zero-padded. */
function packA<T>(a: usize, lda: i32, transA: bool, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  const E = sizeof<T>();
  for (let p = 0; p < mc; p += MR) {
    const rows = min(MR, mc - p);
    const panel = dst + (<usize>(p * kc)) * E;
    if (!transA) {
      for (let r = 0; r < MR; r++) {
        const d = panel + (<usize>r) * E;
        if (r < rows) {
          const src = a + (<usize>(ic + p + r) * lda + pc) * E;
          for (let kk = 0; kk < kc; kk++) {
            store<T>(d + (<usize>(kk * MR)) * E, load<T>(src + (<usize>kk) * E));
          }
        } else {
          for (let kk = 0; kk < kc; kk++) store<T>(d + (<usize>(kk * MR)) * E, <T>0);
        }
      }
    } else {
      // A is stored K×M: element (i, k) sits at a[k*lda + i]; MR consecutive rows are contiguous.
      let src = a + (<usize>pc * lda + ic + p) * E;
      const step = <usize>lda * E;
      for (let kk = 0; kk < kc; kk++) {
        const d = panel + (<usize>(kk * MR)) * E;
        if (ASC_FEATURE_SIMD && rows == MR && sizeof<T>() == 4) {
          v128.store(d, v128.load(src));
        } else if (ASC_FEATURE_SIMD && rows == MR) {
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
        } else {
          for (let r = 0; r < MR; r++) store<T>(d + (<usize>r) * E, r < rows ? load<T>(src + (<usize>r) * E) : <T>0);
        }
        src += step;
      }
    }
  }
}

/** Writes (or adds) the tile buffer's valid mr×nr corner into C. */
@inline function storeTile<T>(tile: usize, c: usize, ldc: i32, mr: i32, nr: i32, add: bool): void {
  const E = sizeof<T>();
  const NR = nrOf<T>();
  for (let r = 0; r < mr; r++) {
    const cr = c + (<usize>(r * ldc)) * E;
    const tr = tile + (<usize>(r * NR)) * E;
    for (let j = 0; j < nr; j++) {
      const v = load<T>(tr + (<usize>j) * E);
      const p = cr + (<usize>j) * E;
      store<T>(p, add ? load<T>(p) + v : v);
    }
  }
}

/** Scalar micro-kernel (the build without SIMD): the same order of operations per element. */
function microScalar<T>(kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mr: i32, nr: i32, add: bool, tile: usize): void {
  const E = sizeof<T>();
  const NR = nrOf<T>();
  for (let i = 0; i < MR * NR; i++) store<T>(tile + (<usize>i) * E, <T>0);
  for (let kk = 0; kk < kc; kk++) {
    for (let r = 0; r < MR; r++) {
      const av = load<T>(ap + (<usize>r) * E);
      const tr = tile + (<usize>(r * NR)) * E;
      for (let j = 0; j < NR; j++) {
        const p = tr + (<usize>j) * E;
        store<T>(p, load<T>(p) + av * load<T>(bp + (<usize>j) * E));
      }
    }
    ap += (<usize>MR) * E;
    bp += (<usize>NR) * E;
  }
  storeTile<T>(tile, c, ldc, mr, nr, add);
}

/**
 * SIMD micro-kernel: an MR×NR tile in eight vector accumulators (4 rows × 2 vectors: 4×8 for f32,
 * 4×4 for f64), each k step broadcasting one A value per row against two B vectors.
 */
function microSimd<T>(kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mr: i32, nr: i32, add: bool, tile: usize): void {
  const E = sizeof<T>();
  let c00 = v128.splat<T>(<T>0), c01 = v128.splat<T>(<T>0), c10 = v128.splat<T>(<T>0), c11 = v128.splat<T>(<T>0);
  let c20 = v128.splat<T>(<T>0), c21 = v128.splat<T>(<T>0), c30 = v128.splat<T>(<T>0), c31 = v128.splat<T>(<T>0);
  for (let kk = 0; kk < kc; kk++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load_splat<T>(ap);
    c00 = v128.add<T>(c00, v128.mul<T>(a, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(a, b1));
    a = v128.load_splat<T>(ap, E);
    c10 = v128.add<T>(c10, v128.mul<T>(a, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(a, b1));
    a = v128.load_splat<T>(ap, 2 * E);
    c20 = v128.add<T>(c20, v128.mul<T>(a, b0));
    c21 = v128.add<T>(c21, v128.mul<T>(a, b1));
    a = v128.load_splat<T>(ap, 3 * E);
    c30 = v128.add<T>(c30, v128.mul<T>(a, b0));
    c31 = v128.add<T>(c31, v128.mul<T>(a, b1));
    ap += 4 * E;
    bp += 32;
  }
  if (mr == MR && nr == nrOf<T>()) {
    const s = <usize>ldc * E;
    let p = c;
    if (add) {
      v128.store(p, v128.add<T>(v128.load(p), c00)); v128.store(p, v128.add<T>(v128.load(p, 16), c01), 16); p += s;
      v128.store(p, v128.add<T>(v128.load(p), c10)); v128.store(p, v128.add<T>(v128.load(p, 16), c11), 16); p += s;
      v128.store(p, v128.add<T>(v128.load(p), c20)); v128.store(p, v128.add<T>(v128.load(p, 16), c21), 16); p += s;
      v128.store(p, v128.add<T>(v128.load(p), c30)); v128.store(p, v128.add<T>(v128.load(p, 16), c31), 16);
    } else {
      v128.store(p, c00); v128.store(p, c01, 16); p += s;
      v128.store(p, c10); v128.store(p, c11, 16); p += s;
      v128.store(p, c20); v128.store(p, c21, 16); p += s;
      v128.store(p, c30); v128.store(p, c31, 16);
    }
    return;
  }
  // An edge tile: spill the accumulators to the tile buffer and copy its valid corner.
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  storeTile<T>(tile, c, ldc, mr, nr, add);
}

/**
 * C[rowStart:rowEnd, 0:n] = op(A)·op(B) (or += when `accumulate`), op(A) m×k, op(B) k×n.
 * Leading dimensions are in elements; `scratch` holds gemmScratchBytes<T>() bytes, 16-aligned.
 */
export function gemm<T>(
  a: usize, b: usize, c: usize, n: i32, k: i32,
  lda: i32, ldb: i32, ldc: i32, transA: bool, transB: bool, accumulate: bool,
  rowStart: i32, rowEnd: i32, scratch: usize,
): void {
  const E = sizeof<T>();
  const NR = nrOf<T>();
  const NC = ncOf<T>();
  const packedA = scratch;
  const packedB = scratch + (<usize>(MC * KC)) * E;
  const tile = packedB + (<usize>(KC * NC)) * E;
  if (k == 0) {
    if (!accumulate) {
      for (let i = rowStart; i < rowEnd; i++) memory.fill(c + (<usize>i * ldc) * E, 0, (<usize>n) * E);
    }
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const add = accumulate || pc > 0;
      packB<T>(b, ldb, transB, pc, kc, jc, nc, packedB);
      for (let ic = rowStart; ic < rowEnd; ic += MC) {
        const mc = min(MC, rowEnd - ic);
        packA<T>(a, lda, transA, ic, mc, pc, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = packedB + (<usize>(jr * kc)) * E;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const ap = packedA + (<usize>(ir * kc)) * E;
            const cp = c + (<usize>(ic + ir) * ldc + jc + jr) * E;
            if (ASC_FEATURE_SIMD) microSimd<T>(kc, ap, bp, cp, ldc, mr, nr, add, tile);
            else microScalar<T>(kc, ap, bp, cp, ldc, mr, nr, add, tile);
          }
        }
      }
    }
  }
}
