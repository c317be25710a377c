// The kernel's flat exports: every kernel as op_f32 and op_f64. Pointers are byte offsets into the
// one memory JavaScript owns; kernels allocate nothing and write only where they are told.
import { gemm, gemmScratchBytes } from './gemm';
import { activationGrad, binary, unary } from './elementwise';
import { reduce } from './reduce';
import { softmaxRows } from './softmax';
import { fill, gatherRows, transpose2d } from './copy';

/** First byte JavaScript may allocate: everything below holds the kernel's static data. */
export function heap_base(): usize {
  return __heap_base;
}

export function simd_enabled(): bool {
  return ASC_FEATURE_SIMD;
}

export function gemm_scratch_bytes_f32(): i32 { return gemmScratchBytes<f32>(); }
export function gemm_scratch_bytes_f64(): i32 { return gemmScratchBytes<f64>(); }

export function gemm_f32(a: usize, b: usize, c: usize, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32,
  transA: bool, transB: bool, accumulate: bool, rowStart: i32, rowEnd: i32, scratch: usize): void {
  gemm<f32>(a, b, c, n, k, lda, ldb, ldc, transA, transB, accumulate, rowStart, rowEnd, scratch);
}
export function gemm_f64(a: usize, b: usize, c: usize, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32,
  transA: bool, transB: bool, accumulate: bool, rowStart: i32, rowEnd: i32, scratch: usize): void {
  gemm<f64>(a, b, c, n, k, lda, ldb, ldc, transA, transB, accumulate, rowStart, rowEnd, scratch);
}

export function binary_f32(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32, aRow: i32, aCol: i32, bRow: i32, bCol: i32): void {
  binary<f32>(op, a, b, out, rows, cols, aRow, aCol, bRow, bCol);
}
export function binary_f64(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32, aRow: i32, aCol: i32, bRow: i32, bCol: i32): void {
  binary<f64>(op, a, b, out, rows, cols, aRow, aCol, bRow, bCol);
}

export function unary_f32(op: i32, x: usize, out: usize, n: i32, p: f32, q: f32): void { unary<f32>(op, x, out, n, p, q); }
export function unary_f64(op: i32, x: usize, out: usize, n: i32, p: f64, q: f64): void { unary<f64>(op, x, out, n, p, q); }

export function activation_grad_f32(op: i32, dy: usize, y: usize, out: usize, n: i32, p: f32): void { activationGrad<f32>(op, dy, y, out, n, p); }
export function activation_grad_f64(op: i32, dy: usize, y: usize, out: usize, n: i32, p: f64): void { activationGrad<f64>(op, dy, y, out, n, p); }

export function reduce_f32(op: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void { reduce<f32>(op, x, out, outer, n, inner); }
export function reduce_f64(op: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void { reduce<f64>(op, x, out, outer, n, inner); }

export function softmax_f32(x: usize, out: usize, rows: i32, cols: i32, logarithm: bool, rowStart: i32, rowEnd: i32): void {
  softmaxRows<f32>(x, out, rows, cols, logarithm, rowStart, rowEnd);
}
export function softmax_f64(x: usize, out: usize, rows: i32, cols: i32, logarithm: bool, rowStart: i32, rowEnd: i32): void {
  softmaxRows<f64>(x, out, rows, cols, logarithm, rowStart, rowEnd);
}

export function fill_f32(ptr: usize, n: i32, value: f32): void { fill<f32>(ptr, n, value); }
export function fill_f64(ptr: usize, n: i32, value: f64): void { fill<f64>(ptr, n, value); }

export function transpose_f32(x: usize, out: usize, rows: i32, cols: i32, rowStart: i32, rowEnd: i32): void { transpose2d<f32>(x, out, rows, cols, rowStart, rowEnd); }
export function transpose_f64(x: usize, out: usize, rows: i32, cols: i32, rowStart: i32, rowEnd: i32): void { transpose2d<f64>(x, out, rows, cols, rowStart, rowEnd); }

export function gather_rows_f32(x: usize, indices: usize, out: usize, count: i32, cols: i32): void { gatherRows<f32>(x, indices, out, count, cols); }
export function gather_rows_f64(x: usize, indices: usize, out: usize, count: i32, cols: i32): void { gatherRows<f64>(x, indices, out, count, cols); }

import { activationBackward, axpy, axpySign, biasActivation, sigmoidCrossEntropy, softmaxCrossEntropy, sumPower } from './fused';

export function bias_activation_f32(op: i32, z: usize, b: usize, out: usize, rowStart: i32, rowEnd: i32, cols: i32, alpha: f32): void { biasActivation<f32>(op, z, b, out, rowStart, rowEnd, cols, alpha); }
export function bias_activation_f64(op: i32, z: usize, b: usize, out: usize, rowStart: i32, rowEnd: i32, cols: i32, alpha: f64): void { biasActivation<f64>(op, z, b, out, rowStart, rowEnd, cols, alpha); }
export function activation_backward_f32(op: i32, dy: usize, y: usize, dz: usize, db: usize, rows: i32, cols: i32, ld: i32, alpha: f32): void { activationBackward<f32>(op, dy, y, dz, db, rows, cols, ld, alpha); }
export function activation_backward_f64(op: i32, dy: usize, y: usize, dz: usize, db: usize, rows: i32, cols: i32, ld: i32, alpha: f64): void { activationBackward<f64>(op, dy, y, dz, db, rows, cols, ld, alpha); }
export function softmax_xent_f32(logits: usize, labels: usize, classIds: bool, grad: usize, rows: i32, cols: i32, scale: f32, losses: usize): f64 { return softmaxCrossEntropy<f32>(logits, labels, classIds, grad, rows, cols, scale, losses); }
export function softmax_xent_f64(logits: usize, labels: usize, classIds: bool, grad: usize, rows: i32, cols: i32, scale: f64, losses: usize): f64 { return softmaxCrossEntropy<f64>(logits, labels, classIds, grad, rows, cols, scale, losses); }
export function sigmoid_xent_f32(logits: usize, targets: usize, grad: usize, n: i32, scale: f32, losses: usize): f64 { return sigmoidCrossEntropy<f32>(logits, targets, grad, n, scale, losses); }
export function sigmoid_xent_f64(logits: usize, targets: usize, grad: usize, n: i32, scale: f64, losses: usize): f64 { return sigmoidCrossEntropy<f64>(logits, targets, grad, n, scale, losses); }
export function axpy_f32(alpha: f32, x: usize, y: usize, n: i32): void { axpy<f32>(alpha, x, y, n); }
export function axpy_f64(alpha: f64, x: usize, y: usize, n: i32): void { axpy<f64>(alpha, x, y, n); }
export function axpy_sign_f32(alpha: f32, x: usize, y: usize, n: i32): void { axpySign<f32>(alpha, x, y, n); }
export function axpy_sign_f64(alpha: f64, x: usize, y: usize, n: i32): void { axpySign<f64>(alpha, x, y, n); }
export function sum_power_f32(x: usize, n: i32, power: i32): f64 { return sumPower<f32>(x, n, power); }
export function sum_power_f64(x: usize, n: i32, power: i32): f64 { return sumPower<f64>(x, n, power); }

// Fused optimizer updates (one pass per parameter) and the non-finite gradient check: see optim.ts.
export {
  sgd_f32, sgd_f64, momentum_f32, momentum_f64, rmsprop_f32, rmsprop_f64, adam_f32, adam_f64,
  count_nonfinite_f32, count_nonfinite_f64,
} from './optim';

// Batch normalization's passes: see batchnorm.ts.
import { batchNormBackwardInput, batchNormBackwardSums, batchNormNormalize, batchNormStatistics } from './batchnorm';

export function batch_norm_statistics_f32(x: usize, m: i32, n: i32, ld: i32, eps: f32, mean: usize, variance: usize, std: usize): void { batchNormStatistics<f32>(x, m, n, ld, eps, mean, variance, std); }
export function batch_norm_statistics_f64(x: usize, m: i32, n: i32, ld: i32, eps: f64, mean: usize, variance: usize, std: usize): void { batchNormStatistics<f64>(x, m, n, ld, eps, mean, variance, std); }
export function batch_norm_normalize_f32(x: usize, m: i32, n: i32, mean: usize, std: usize, gamma: usize, beta: usize, xhat: usize, y: usize): void { batchNormNormalize<f32>(x, m, n, mean, std, gamma, beta, xhat, y); }
export function batch_norm_normalize_f64(x: usize, m: i32, n: i32, mean: usize, std: usize, gamma: usize, beta: usize, xhat: usize, y: usize): void { batchNormNormalize<f64>(x, m, n, mean, std, gamma, beta, xhat, y); }
export function batch_norm_backward_sums_f32(dy: usize, xhat: usize, m: i32, n: i32, ld: i32, dBeta: usize, dGamma: usize): void { batchNormBackwardSums<f32>(dy, xhat, m, n, ld, dBeta, dGamma); }
export function batch_norm_backward_sums_f64(dy: usize, xhat: usize, m: i32, n: i32, ld: i32, dBeta: usize, dGamma: usize): void { batchNormBackwardSums<f64>(dy, xhat, m, n, ld, dBeta, dGamma); }
export function batch_norm_backward_input_f32(dy: usize, xhat: usize, rows: i32, n: i32, m: i32, dBeta: usize, dGamma: usize, scale: usize, dx: usize): void { batchNormBackwardInput<f32>(dy, xhat, rows, n, m, dBeta, dGamma, scale, dx); }
export function batch_norm_backward_input_f64(dy: usize, xhat: usize, rows: i32, n: i32, m: i32, dBeta: usize, dGamma: usize, scale: usize, dx: usize): void { batchNormBackwardInput<f64>(dy, xhat, rows, n, m, dBeta, dGamma, scale, dx); }

import { flushSubnormals } from './subnormal';

export function flush_subnormals_f32(x: usize, n: i32): void { flushSubnormals<f32>(x, n); }
export function flush_subnormals_f64(x: usize, n: i32): void { flushSubnormals<f64>(x, n); }
