// General matrix product C = op(A)·op(B) (+ C), the way fast BLAS kernels are built:
// A and B are packed block by block into contiguous panels (transposes are resolved while packing,
// so every transpose combination runs the same micro-kernel), and a register-tiled micro-kernel
// computes MR×NR tiles of C from the panels.
//
// The tile is 5×8 for f32 (5×4 for f64): ten vector accumulators, two B vectors, the broadcast A value
// and one product fit the 15 vector registers V8 allocates on x64 (a sixth row spills one every k step,
// and unrolling the k loop lets the compiler interleave steps until it spills too). Against 4×8 it
// loads B once per five rows instead of four and runs fewer loop instructions per product: 1.12–1.20×
// as fast for f32 and f64 on an AMD EPYC Zen 5 (86–102% of the SIMD limit, against 77–85%).
//
// Block sizes are chosen for the smallest caches nnkit meets on its machines (32 KiB L1 and 512 KiB
// L2 per core on AMD EPYC Zen 2/3; Zen 5 has 48 KiB and 1 MiB, Intel Xeons 48 KiB and 1.25–2 MiB),
// so that one choice holds on every machine; WebAssembly cannot ask for the cache sizes. Per f32 block of rows:
//   L1: one packed B panel, KC×NR = 8 KiB, reused by every A panel of the block, beside one A panel
//       (MR×KC = 5 KiB) and the C tile;
//   L2: the packed A block (MC×KC = 60 KiB), the packed B block (KC×NC = 128 KiB), the C block the
//       micro-kernels write (MC×NC = 30 KiB) and A's source rows being packed (≤ 60 KiB): ≈ 280 KiB,
//       about half of a 512 KiB L2, so the B block stays there from one block of rows to the next
//       (with NC = 256 it was ≈ 450 KiB and was refetched from L3 on every block of rows there).
// KC is part of the result, not only of the speed: the micro-kernel sums KC products from zero and
// adds that partial sum to C, so every element is C + s₀ + s₁ + … over 256-deep slices of k, in
// order. It is the same constant on every machine; MC and NC only reorder independent work.

/** Rows of a micro-tile. */
export const MR: i32 = 5;
/** Depth of a packed block (the k loop); fixes the order of additions, so never per machine. */
export const KC: i32 = 256;
/** Rows of a packed A block (MC×KC stays in L2). A multiple of MR. */
export const MC: i32 = 60;
/** Columns of a packed B block (KC×NC stays in L2 beside the A block): 128 KiB for either dtype. */
export const NC_F32: i32 = 128;
export const NC_F64: i32 = 64;

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

/**
 * Interleaves four source rows (each contiguous along k, `srcStride` bytes apart) into a packed panel:
 * element (r, kk) goes to dst + kk*dstStride + r*E. Works through 4×4 (f32) or 2×2 (f64) transposes
 * in registers and returns how many leading k it handled; the caller copies the rest one by one.
 */
@inline function interleave4Rows<T>(src: usize, srcStride: usize, kc: i32, dst: usize, dstStride: usize): i32 {
  if (!ASC_FEATURE_SIMD) return 0;
  const r1 = src + srcStride, r2 = r1 + srcStride, r3 = r2 + srcStride;
  let kk = 0;
  if (sizeof<T>() == 4) {
    for (; kk + 4 <= kc; kk += 4) {
      const o = (<usize>kk) * 4;
      const x0 = v128.load(src + o), x1 = v128.load(r1 + o), x2 = v128.load(r2 + o), x3 = v128.load(r3 + o);
      const lo01 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), hi01 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
      const lo23 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5), hi23 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
      const d = dst + (<usize>kk) * dstStride;
      v128.store(d, v128.shuffle<f64>(lo01, lo23, 0, 2));
      v128.store(d + dstStride, v128.shuffle<f64>(lo01, lo23, 1, 3));
      v128.store(d + 2 * dstStride, v128.shuffle<f64>(hi01, hi23, 0, 2));
      v128.store(d + 3 * dstStride, v128.shuffle<f64>(hi01, hi23, 1, 3));
    }
  } else {
    for (; kk + 2 <= kc; kk += 2) {
      const o = (<usize>kk) * 8;
      const x0 = v128.load(src + o), x1 = v128.load(r1 + o), x2 = v128.load(r2 + o), x3 = v128.load(r3 + o);
      const d = dst + (<usize>kk) * dstStride;
      v128.store(d, v128.shuffle<f64>(x0, x1, 0, 2));
      v128.store(d, v128.shuffle<f64>(x2, x3, 0, 2), 16);
      v128.store(d + dstStride, v128.shuffle<f64>(x0, x1, 1, 3));
      v128.store(d + dstStride, v128.shuffle<f64>(x2, x3, 1, 3), 16);
    }
  }
  return kk;
}

/**
 * Copies one source row (contiguous along k) into one column of a packed panel whose k steps are
 * `dstStride` bytes apart, four (f32) or two (f64) elements per vector load; returns how many leading
 * k it handled.
 */
@inline function scatterRow<T>(src: usize, kc: i32, dst: usize, dstStride: usize): i32 {
  if (!ASC_FEATURE_SIMD) return 0;
  let kk = 0;
  if (sizeof<T>() == 4) {
    for (; kk + 4 <= kc; kk += 4) {
      const x = v128.load(src + (<usize>kk) * 4);
      const d = dst + (<usize>kk) * dstStride;
      v128.store32_lane(d, x, 0);
      v128.store32_lane(d + dstStride, x, 1);
      v128.store32_lane(d + 2 * dstStride, x, 2);
      v128.store32_lane(d + 3 * dstStride, x, 3);
    }
  } else {
    for (; kk + 2 <= kc; kk += 2) {
      const x = v128.load(src + (<usize>kk) * 8);
      const d = dst + (<usize>kk) * dstStride;
      v128.store64_lane(d, x, 0);
      v128.store64_lane(d + dstStride, x, 1);
    }
  }
  return kk;
}

/**
 * Copies `count` source rows (contiguous along k, `ld` elements apart) into the first `span` columns
 * of a packed panel whose rows are `width` elements long, from k = `from` on; columns from `count` to
 * `span` get zeros.
 */
function interleaveRows<T>(src: usize, ld: i32, count: i32, span: i32, from: i32, kc: i32, dst: usize, width: i32): void {
  const E = sizeof<T>();
  for (let r = 0; r < span; r++) {
    const d = dst + (<usize>r) * E;
    const s = src + (<usize>(r * ld)) * E;
    for (let kk = from; kk < kc; kk++) {
      store<T>(d + (<usize>(kk * width)) * E, r < count ? load<T>(s + (<usize>kk) * E) : <T>0);
    }
  }
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
      // B is stored N×K: column j of op(B) is row j of B, contiguous along k. Four at a time go
      // through register transposes; a partial group is copied one element at a time.
      const src = b + (<usize>(jc + p) * ldb + pc) * E;
      for (let g = 0; g < NR; g += 4) {
        const rows = src + (<usize>(g * ldb)) * E;
        const from = cols - g >= 4 ? interleave4Rows<T>(rows, (<usize>ldb) * E, kc, panel + (<usize>g) * E, (<usize>NR) * E) : 0;
        if (from < kc) interleaveRows<T>(rows, ldb, min(4, max(0, cols - g)), 4, from, kc, panel + (<usize>g) * E, NR);
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
      // Rows of A are contiguous along k: the first four through register transposes, the fifth
      // scattered from vector loads.
      const src = a + (<usize>(ic + p) * lda + pc) * E;
      if (rows == MR) {
        const from = interleave4Rows<T>(src, (<usize>lda) * E, kc, panel, (<usize>MR) * E);
        if (from < kc) interleaveRows<T>(src, lda, 4, 4, from, kc, panel, MR);
        const fifth = src + (<usize>(4 * lda)) * E;
        const done = scatterRow<T>(fifth, kc, panel + (<usize>4) * E, (<usize>MR) * E);
        if (done < kc) interleaveRows<T>(fifth, lda, 1, 1, done, kc, panel + (<usize>4) * E, MR);
      } else if (rows == 4) {
        // Four rows (an m of 4 mod 5, as 64 is): the same register transposes, the fifth column zeros.
        for (let kk = 0; kk < kc; kk++) store<T>(panel + (<usize>(kk * MR + 4)) * E, <T>0);
        const from = interleave4Rows<T>(src, (<usize>lda) * E, kc, panel, (<usize>MR) * E);
        if (from < kc) interleaveRows<T>(src, lda, 4, 4, from, kc, panel, MR);
      } else {
        interleaveRows<T>(src, lda, rows, MR, 0, kc, panel, MR);
      }
    } else {
      // A is stored K×M: element (i, k) sits at a[k*lda + i]; MR consecutive rows are contiguous.
      let src = a + (<usize>pc * lda + ic + p) * E;
      const step = <usize>lda * E;
      for (let kk = 0; kk < kc; kk++) {
        const d = panel + (<usize>(kk * MR)) * E;
        if (ASC_FEATURE_SIMD && rows == MR && sizeof<T>() == 4) {
          v128.store(d, v128.load(src));
          store<f32>(d, load<f32>(src, 16), 16);
        } else if (ASC_FEATURE_SIMD && rows == MR) {
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
          store<f64>(d, load<f64>(src, 32), 32);
        } else if (ASC_FEATURE_SIMD && rows == 4 && sizeof<T>() == 4) {
          v128.store(d, v128.load(src));
          store<f32>(d, 0, 16);
        } else if (ASC_FEATURE_SIMD && rows == 4) {
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
          store<f64>(d, 0, 32);
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
 * SIMD micro-kernel: an MR×NR tile in ten vector accumulators (5 rows × 2 vectors: 5×8 for f32,
 * 5×4 for f64), each k step broadcasting one A value per row against two B vectors. The loop runs on
 * the B pointer alone (no counter), which leaves V8 enough general registers to keep the broadcasts'
 * addresses out of the loop.
 */
function microSimd<T>(kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mr: i32, nr: i32, add: bool, tile: usize): void {
  const E = sizeof<T>();
  let c00 = v128.splat<T>(<T>0), c01 = v128.splat<T>(<T>0), c10 = v128.splat<T>(<T>0), c11 = v128.splat<T>(<T>0);
  let c20 = v128.splat<T>(<T>0), c21 = v128.splat<T>(<T>0), c30 = v128.splat<T>(<T>0), c31 = v128.splat<T>(<T>0);
  let c40 = v128.splat<T>(<T>0), c41 = v128.splat<T>(<T>0);
  const end = bp + (<usize>kc) * 32;
  while (bp < end) {
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
    a = v128.load_splat<T>(ap, 4 * E);
    c40 = v128.add<T>(c40, v128.mul<T>(a, b0));
    c41 = v128.add<T>(c41, v128.mul<T>(a, b1));
    ap += 5 * E;
    bp += 32;
  }
  if (mr == MR && nr == nrOf<T>()) {
    const s = <usize>ldc * E;
    let p = c;
    if (add) {
      v128.store(p, v128.add<T>(v128.load(p), c00)); v128.store(p, v128.add<T>(v128.load(p, 16), c01), 16); p += s;
      v128.store(p, v128.add<T>(v128.load(p), c10)); v128.store(p, v128.add<T>(v128.load(p, 16), c11), 16); p += s;
      v128.store(p, v128.add<T>(v128.load(p), c20)); v128.store(p, v128.add<T>(v128.load(p, 16), c21), 16); p += s;
      v128.store(p, v128.add<T>(v128.load(p), c30)); v128.store(p, v128.add<T>(v128.load(p, 16), c31), 16); p += s;
      v128.store(p, v128.add<T>(v128.load(p), c40)); v128.store(p, v128.add<T>(v128.load(p, 16), c41), 16);
    } else {
      v128.store(p, c00); v128.store(p, c01, 16); p += s;
      v128.store(p, c10); v128.store(p, c11, 16); p += s;
      v128.store(p, c20); v128.store(p, c21, 16); p += s;
      v128.store(p, c30); v128.store(p, c31, 16); p += s;
      v128.store(p, c40); v128.store(p, c41, 16);
    }
    return;
  }
  // An edge tile: spill the accumulators to the tile buffer and copy its valid corner.
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  v128.store(tile, c40, 128); v128.store(tile, c41, 144);
  storeTile<T>(tile, c, ldc, mr, nr, add);
}

/**
 * Reads one word of every cache line of C[r0:r1, c0:c0+cols] before the micro-kernels add to it.
 * A micro-kernel loads its C tile only after its k loop, too late for the processor to fetch the
 * lines early; once C is larger than L2 (from 512² on a 512 KiB L2) every tile would wait for L3.
 * Reading the block row by row streams it in at full bandwidth instead. Results are unaffected.
 */
function touchC<T>(c: usize, ldc: i32, r0: i32, r1: i32, c0: i32, cols: i32, sink: usize): void {
  const E = sizeof<T>();
  const perLine = 64 / (E as i32);
  let seen: i32 = 0;
  for (let r = r0; r < r1; r++) {
    const row = c + (<usize>r * ldc + c0) * E;
    for (let j = 0; j < cols; j += perLine) seen |= load<i32>(row + (<usize>j) * E);
    seen |= load<i32>(row + (<usize>(cols - 1)) * E); // the last line when the row is not line-aligned
  }
  store<i32>(sink, seen); // a store keeps the loads from being optimized away
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
        if (add) touchC<T>(c, ldc, ic, ic + mc, jc, nc, tile);
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
