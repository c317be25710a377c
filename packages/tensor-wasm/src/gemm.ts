// matmul: shape checks, then one call of the packed, register-tiled gemm kernel. Transposes are
// resolved inside the kernel's packing step, never by copying. A large product is split over the
// worker pool by output rows (when C is tall) or output columns (when it is wide): every element's
// sum runs in one thread in the same order, so the bits do not depend on the thread count.
import { allocate } from './allocator';
import { activeTape, recordOp } from './autodiff/tape';
import { kernelIndexes, kernels } from './backend';
import { bytesPerElement, type DType } from './dtype';
import { NnkitError } from './errors';
import { checkSameDType, type OutOptions, resultTensor } from './ops-common';
import { runSplit, unitsFor } from './parallel';
import { thresholds } from './parallel-thresholds';
import { formatShape } from './shape';
import { checkTensor, offsetOf, type Tensor } from './tensor';

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
const GEMM_FN = kernelIndexes('gemm');

/**
 * C = op(A)·op(B) (+ C) for C m×n, on the calling thread or split over the worker pool by rows (C
 * tall: A and C move down) or by columns (C wide: B and C move right, n narrows), from
 * thresholds.gemmMacs multiply-adds.
 */
export function runGemm(
  dtype: DType, a: number, b: number, c: number, m: number, n: number, k: number,
  lda: number, ldb: number, ldc: number, transA: 0 | 1, transB: 0 | 1, accumulate: 0 | 1,
): void {
  const kernel = kernels(dtype);
  const E = bytesPerElement(dtype);
  const args = [a, b, c, n, k, lda, ldb, ldc, transA, transB, accumulate, 0, m, scratchFor(dtype)];
  if (m >= n) {
    // Rows of C and of op(A): the count is rowEnd (rowStart stays 0).
    const split = { countAt: 12, pointers: [0, 2], unitBytes: [(transA ? 1 : lda) * E, ldc * E], grain: ROW_GRAIN, scratchAt: 13 };
    runSplit(kernel.gemm, GEMM_FN[dtype], args, split, unitsFor(thresholds.gemmMacs, n * k));
  } else {
    // Columns of C and of op(B): the count is n.
    const split = { countAt: 3, pointers: [1, 2], unitBytes: [(transB ? ldb : 1) * E, E], grain: COL_GRAIN, scratchAt: 13 };
    runSplit(kernel.gemm, GEMM_FN[dtype], args, split, unitsFor(thresholds.gemmMacs, m * k));
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
