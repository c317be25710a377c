// matmul: shape checks, then one call of the packed, register-tiled gemm kernel. Transposes are
// resolved inside the kernel's packing step, never by copying. A large product is split over the
// worker pool by output rows (when C is tall) or output columns (when it is wide): every element's
// sum runs in one thread in the same order, so the bits do not depend on the thread count.
import { allocate } from './allocator';
import { activeTape, recordOp } from './autodiff/tape';
import { kernelIndex, kernels, parallelPool } from './backend';
import { bytesPerElement, type DType } from './dtype';
import { NnkitError } from './errors';
import { checkSameDType, type OutOptions, resultTensor } from './ops-common';
import { thresholds } from './parallel-thresholds';
import { CONTROL } from './pool-layout';
import { formatShape } from './shape';
import { checkTensor, offsetOf, type Tensor } from './tensor';
import { PARTS_PER_THREAD } from './worker-pool';

export interface MatmulOptions extends OutOptions {
  /** Use Aᵀ: `a` is stored k×m. */
  transposeA?: boolean;
  /** Use Bᵀ: `b` is stored n×k. */
  transposeB?: boolean;
  /** Add the product to `out` instead of overwriting it (requires `out`). */
  accumulate?: boolean;
}

/** Packing space of the calling thread per dtype when it runs alone (a pool has its own per thread). */
const scratch: Partial<Record<DType, number>> = {};

/** The gemm's packing space, allocated once per dtype and kept for the life of the kernel. */
function scratchFor(dtype: DType): number {
  let p = scratch[dtype];
  if (p === undefined) {
    p = allocate(kernels(dtype).gemm_scratch_bytes(), 'matmul(): packing space');
    scratch[dtype] = p;
  }
  return p;
}

/** Rows of the micro-kernel's tile and columns of its widest tile: parts start on these multiples. */
const ROW_GRAIN = 5;
const COL_GRAIN = 8;
const GEMM_FN = { float32: kernelIndex('gemm_f32'), float64: kernelIndex('gemm_f64') };

/** C = op(A)·op(B) (+ C) for C m×n, on the calling thread or split over the worker pool. */
export function runGemm(
  dtype: DType, a: number, b: number, c: number, m: number, n: number, k: number,
  lda: number, ldb: number, ldc: number, transA: 0 | 1, transB: 0 | 1, accumulate: 0 | 1,
): void {
  const kernel = kernels(dtype);
  const pool = m * n * k >= thresholds.gemmMacs ? parallelPool() : null;
  const byRows = m >= n;
  const units = byRows ? Math.ceil(m / ROW_GRAIN) : Math.ceil(n / COL_GRAIN);
  const macs = m * n * k;
  const parts = pool === null ? 1 : Math.min(pool.threads * PARTS_PER_THREAD, units, Math.max(2, Math.floor((2 * macs) / thresholds.gemmMacs)));
  if (pool === null || parts < 2) {
    kernel.gemm(a, b, c, n, k, lda, ldb, ldc, transA, transB, accumulate, 0, m, scratchFor(dtype));
    return;
  }
  const E = bytesPerElement(dtype);
  const total = byRows ? m : n;
  const grain = byRows ? ROW_GRAIN : COL_GRAIN;
  const edge = (p: number) => Math.min(total, Math.round((units * p) / parts) * grain);
  const args = pool.args;
  for (let p = 1; p < parts; p++) {
    const lo = edge(p);
    const hi = edge(p + 1);
    const o = p * CONTROL.ARGS_PER_PART;
    if (byRows) {
      args[o] = a; args[o + 1] = b; args[o + 2] = c; args[o + 3] = n;
      args[o + 11] = lo; args[o + 12] = hi;
    } else {
      // Columns lo…hi of C and of op(B): the same product with B and C moved and n narrowed.
      args[o] = a; args[o + 1] = b + (transB ? lo * ldb : lo) * E; args[o + 2] = c + lo * E; args[o + 3] = hi - lo;
      args[o + 11] = 0; args[o + 12] = m;
    }
    args[o + 4] = k; args[o + 5] = lda; args[o + 6] = ldb; args[o + 7] = ldc;
    args[o + 8] = transA; args[o + 9] = transB; args[o + 10] = accumulate; // args[o + 13]: the runner's scratch
  }
  pool.start(GEMM_FN[dtype], parts, 13);
  try {
    const first = edge(1);
    const own = pool.callerScratch;
    if (byRows) kernel.gemm(a, b, c, n, k, lda, ldb, ldc, transA, transB, accumulate, 0, first, own);
    else kernel.gemm(a, b, c, first, k, lda, ldb, ldc, transA, transB, accumulate, 0, m, own);
  } finally {
    pool.finish();
  }
}

/**
 * Matrix product op(A)·op(B) of 2-D tensors.
 *
 * @param a - m×k (k×m with transposeA)
 * @param b - k×n (n×k with transposeB)
 * @returns an m×n tensor (or `out`)
 * @example
 * const dW = matmul(x, dz, { transposeA: true }); // xᵀ·dz without a copy of x
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  checkTensor(a, 'a', 'matmul()');
  checkTensor(b, 'b', 'matmul()');
  const dtype = checkSameDType(a, b, 'matmul()');
  if (a.rank !== 2 || b.rank !== 2) {
    throw new NnkitError('INVALID_SHAPE', `matmul(): expected 2-D tensors, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const { transposeA = false, transposeB = false, accumulate = false } = opts;
  const [m, ka] = transposeA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [kb, n] = transposeB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (ka !== kb) {
    const desc = (t: Tensor, tr: boolean, name: string) => `${name}${tr ? 'ᵀ' : ''} ${formatShape(t.shape)}`;
    throw new NnkitError(
      'SHAPE_MISMATCH',
      `matmul(): inner dimensions differ: ${desc(a, transposeA, 'a')} has ${ka} columns, ${desc(b, transposeB, 'b')} has ${kb} rows`,
    );
  }
  if (accumulate && !opts.out) {
    throw new NnkitError('INVALID_ARGUMENT', 'matmul(): accumulate: true needs an out tensor to add to');
  }
  const out = resultTensor([m, n], dtype, opts.out, 'matmul()');
  if (out === a || out === b) {
    throw new NnkitError('INVALID_ARGUMENT', 'matmul(): out must not be one of the operands');
  }
  runGemm(
    dtype, offsetOf(a), offsetOf(b), offsetOf(out), m, n, ka,
    a.shape[1], b.shape[1], n,
    transposeA ? 1 : 0, transposeB ? 1 : 0, accumulate ? 1 : 0,
  );
  if (activeTape !== null) {
    if (accumulate) refuseAccumulate(a, b);
    recordOp('matmul()', out, [a, b], (dy, needs) => matmulGrads(dy, a, b, transposeA, transposeB, needs));
  }
  return out;
}

function refuseAccumulate(a: Tensor, b: Tensor): void {
  if (activeTape?.watched.has(a) || activeTape?.watched.has(b)) {
    throw new NnkitError('INVALID_ARGUMENT', 'matmul(): accumulate: true is not differentiable; add the product with add() instead');
  }
}

/** d A and d B of C = op(A)·op(B), each itself one product with the right transposes (no copies). */
function matmulGrads(dy: Tensor, a: Tensor, b: Tensor, tA: boolean, tB: boolean, needs: readonly boolean[]): Array<Tensor | null> {
  let da: Tensor | null = null;
  let db: Tensor | null = null;
  if (!tA && !tB) {
    if (needs[0]) da = matmul(dy, b, { transposeB: true }); // dC·Bᵀ
    if (needs[1]) db = matmul(a, dy, { transposeA: true }); // Aᵀ·dC
  } else if (tA && !tB) {
    if (needs[0]) da = matmul(b, dy, { transposeB: true }); // B·dCᵀ
    if (needs[1]) db = matmul(a, dy); // A·dC
  } else if (!tA && tB) {
    if (needs[0]) da = matmul(dy, b); // dC·B
    if (needs[1]) db = matmul(dy, a, { transposeA: true }); // dCᵀ·A
  } else {
    if (needs[0]) da = matmul(b, dy, { transposeA: true, transposeB: true }); // Bᵀ·dCᵀ
    if (needs[1]) db = matmul(dy, a, { transposeA: true, transposeB: true }); // dCᵀ·Aᵀ
  }
  return [da, db];
}
