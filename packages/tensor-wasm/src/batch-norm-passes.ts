// Batch normalization's kernel passes over x [m, n], split over the worker pool above a size
// threshold: the column sums (statistics, dβ and dγ) over ranges of columns, each part summing its
// columns down all rows as a call on one thread does; the elementwise passes (normalize, dx) over
// rows. Either way the bits do not depend on the thread count. The checks (and [m, n]) are the callers'.
import { kernelIndex, kernels } from './backend';
import { bytesPerElement } from './dtype';
import { runColumnSplit, runSplit } from './parallel';
import { thresholds } from './parallel-thresholds';
import { offsetOf, type Tensor } from './tensor';

const STATISTICS = { float32: kernelIndex('batch_norm_statistics_f32'), float64: kernelIndex('batch_norm_statistics_f64') };
const NORMALIZE = { float32: kernelIndex('batch_norm_normalize_f32'), float64: kernelIndex('batch_norm_normalize_f64') };
const BACKWARD_SUMS = { float32: kernelIndex('batch_norm_backward_sums_f32'), float64: kernelIndex('batch_norm_backward_sums_f64') };
const BACKWARD_INPUT = { float32: kernelIndex('batch_norm_backward_input_f32'), float64: kernelIndex('batch_norm_backward_input_f64') };

/** Rows from which a row-wise pass over [·, n] is split. */
const minRows = (n: number) => Math.ceil(thresholds.minRowElements / Math.max(1, n));

/** mean, variance and std ([n]) of x [m, n]: per column, so split over columns (x and the outputs move; the row stride stays n). */
export function statisticsPass(x: Tensor, m: number, n: number, epsilon: number, mean: Tensor, variance: Tensor, std: Tensor): void {
  runColumnSplit(
    kernels(x.dtype).batch_norm_statistics, STATISTICS[x.dtype],
    [offsetOf(x), m, n, n, epsilon, offsetOf(mean), offsetOf(variance), offsetOf(std)],
    { countAt: 2, pointers: [0, 5, 6, 7] }, bytesPerElement(x.dtype), m,
  );
}

/** x̂ and y = x̂·γ + β of x [m, n]: row by row with per-column statistics, so split over rows (x, x̂ and y move). */
export function normalizePass(x: Tensor, m: number, n: number, mean: Tensor, std: Tensor, gamma: Tensor, beta: Tensor, xhat: Tensor, y: Tensor): void {
  runSplit(
    kernels(x.dtype).batch_norm_normalize, NORMALIZE[x.dtype],
    [offsetOf(x), m, n, offsetOf(mean), offsetOf(std), offsetOf(gamma), offsetOf(beta), offsetOf(xhat), offsetOf(y)],
    { countAt: 1, pointers: [0, 7, 8], unitBytes: n * bytesPerElement(x.dtype), grain: 4 },
    minRows(n),
  );
}

/** dβ = Σ_rows dy and dγ = Σ_rows dy⊙x̂ ([n]) of dy [m, n]: split over columns (dy, x̂ and the sums move). */
export function backwardSumsPass(dy: Tensor, xhat: Tensor, m: number, n: number, dBeta: Tensor, dGamma: Tensor): void {
  runColumnSplit(
    kernels(dy.dtype).batch_norm_backward_sums, BACKWARD_SUMS[dy.dtype],
    [offsetOf(dy), offsetOf(xhat), m, n, n, offsetOf(dBeta), offsetOf(dGamma)],
    { countAt: 3, pointers: [0, 1, 5, 6] }, bytesPerElement(dy.dtype), m,
  );
}

/** dx = ((m·dy − dβ) − x̂·dγ)·scale of dy [m, n]: per element, so split over rows (dy, x̂ and dx move; m stays the batch's). */
export function backwardInputPass(dy: Tensor, xhat: Tensor, m: number, n: number, dBeta: Tensor, dGamma: Tensor, scale: Tensor, dx: Tensor): void {
  runSplit(
    kernels(dy.dtype).batch_norm_backward_input, BACKWARD_INPUT[dy.dtype],
    [offsetOf(dy), offsetOf(xhat), m, n, m, offsetOf(dBeta), offsetOf(dGamma), offsetOf(scale), offsetOf(dx)],
    { countAt: 2, pointers: [0, 1, 8], unitBytes: n * bytesPerElement(dy.dtype), grain: 4 },
    minRows(n),
  );
}
