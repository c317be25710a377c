// Batch normalization's fused passes over x [m, n] (one feature per column): the statistics, the
// normalization with scale and shift, and the backward's column sums and input gradient. Each
// writes only into the tensors it is given, so a layer can run a whole step without allocating.
import { activeTape, BACKWARD_OP, checkWritable, refuseGrad } from './autodiff/tape';
import { recordNormalize, recordStatistics } from './batch-norm-grad';
import { backwardInputPass, backwardSumsPass, normalizePass, statisticsPass } from './batch-norm-passes';
import type { DType } from './dtype';
import { NnkitError } from './errors';
import { formatShape } from './shape';
import { checkTensor, type Tensor } from './tensor';

/** Checks x is a 2-D [m, n] tensor with m ≥ 1 and returns [m, n]. */
function checkRows(x: Tensor, where: string, name: string): [number, number] {
  checkTensor(x, name, where);
  if (x.rank !== 2 || x.shape[0] < 1) {
    throw new NnkitError('INVALID_SHAPE', `${where}: ${name} must be 2-D [examples ≥ 1, features], got ${formatShape(x.shape)}`);
  }
  return [x.shape[0], x.shape[1]];
}

/** Checks each named tensor has x's dtype and `size` elements (a per-feature vector or a [m, n] twin). */
function checkLike(where: string, dtype: DType, size: number, tensors: Record<string, Tensor>): void {
  for (const [name, t] of Object.entries(tensors)) {
    checkTensor(t, name, where);
    if (t.dtype !== dtype) {
      throw new NnkitError('DTYPE_MISMATCH', `${where}: ${name} is ${t.dtype}, expected ${dtype} like x; convert it with cast()`);
    }
    if (t.size !== size) {
      throw new NnkitError('SHAPE_MISMATCH', `${where}: ${name} ${formatShape(t.shape)} holds ${t.size} values; expected ${size}`);
    }
  }
}

/** Outputs of {@link batchNormStatistics}, each [n]. */
export interface BatchNormStatisticsOptions {
  mean: Tensor;
  /** The biased (population) variance, Σ(x − mean)²/m. */
  variance: Tensor;
  /** √(variance + ε). */
  std: Tensor;
  /** ε (≥ 0) under the root. */
  epsilon: number;
}

/**
 * The batch statistics of x [m, n] per column: mean, biased variance and √(variance + ε), in two
 * passes over x (the variance from the centered values, not from Σx² − m·mean²). Differentiable:
 * inside a gradient, mean, variance and std are recorded as functions of x.
 *
 * @example
 * batchNormStatistics(z, { mean, variance, std, epsilon: 1e-5 });
 */
export function batchNormStatistics(x: Tensor, opts: BatchNormStatisticsOptions): void {
  const where = 'batchNormStatistics()';
  const [m, n] = checkRows(x, where, 'x');
  const { mean, variance, std, epsilon } = opts;
  checkLike(where, x.dtype, n, { mean, variance, std });
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: epsilon ${String(epsilon)} must be a finite number ≥ 0`);
  }
  if (activeTape !== null) for (const t of [mean, variance, std]) checkWritable(t, where);
  statisticsPass(x, m, n, epsilon, mean, variance, std);
  if (activeTape !== null) recordStatistics(x, mean, variance, std);
}

/** Outputs of {@link batchNormNormalize}, each shaped like x. */
export interface BatchNormNormalizeOptions {
  /** Receives x̂ = (x − mean)/std. */
  xhat: Tensor;
  /** Receives x̂·γ + β. */
  out: Tensor;
}

/**
 * x̂ = (x − mean)/std and y = x̂·γ + β per column of x [m, n], in one pass; mean, std, γ and β are [n].
 * Differentiable (x̂ and y): when mean and std are {@link batchNormStatistics}' results for this x in
 * the same gradient (training mode), d x is {@link batchNormBackward}'s, through the batch
 * statistics; otherwise (moving averages) mean and std get gradients of their own.
 *
 * @returns `opts.out`
 * @example
 * batchNormNormalize(z, mean, std, gamma, beta, { xhat, out: y });
 */
export function batchNormNormalize(x: Tensor, mean: Tensor, std: Tensor, gamma: Tensor, beta: Tensor, opts: BatchNormNormalizeOptions): Tensor {
  const where = 'batchNormNormalize()';
  const [m, n] = checkRows(x, where, 'x');
  checkLike(where, x.dtype, n, { mean, std, gamma, beta });
  checkLike(where, x.dtype, m * n, { xhat: opts.xhat, out: opts.out });
  if (activeTape !== null) for (const t of [opts.xhat, opts.out]) checkWritable(t, where);
  normalizePass(x, m, n, mean, std, gamma, beta, opts.xhat, opts.out);
  if (activeTape !== null) recordNormalize(x, mean, std, gamma, beta, opts.xhat, opts.out);
  return opts.out;
}

/** Outputs and the input-gradient scale of {@link batchNormBackward}. */
export interface BatchNormBackwardOptions {
  /** Receives dβ = Σ_rows dy ([n]). */
  dBeta: Tensor;
  /** Receives dγ = Σ_rows dy⊙x̂ ([n]). */
  dGamma: Tensor;
  /** Receives dx ([m, n]) when given, together with `scale`. */
  dx?: Tensor;
  /** γ/(m·std) per column ([n]), needed for dx. */
  scale?: Tensor;
}

/**
 * The backward pass of batch normalization in training mode: dβ and dγ in one pass over dy and x̂,
 * then, when `dx` is given, dx = ((m·dy − dβ) − x̂·dγ)·scale with scale = γ/(m·std) — the input
 * gradient with the batch statistics' share included.
 *
 * @example
 * batchNormBackward(dy, xhat, { dBeta, dGamma, dx, scale });
 */
export function batchNormBackward(dy: Tensor, xhat: Tensor, opts: BatchNormBackwardOptions): void {
  const where = 'batchNormBackward()';
  const [m, n] = checkRows(dy, where, 'dy');
  checkLike(where, dy.dtype, m * n, { xhat });
  checkLike(where, dy.dtype, n, { dBeta: opts.dBeta, dGamma: opts.dGamma });
  if (activeTape !== null) {
    refuseGrad(where, [dy, xhat, ...(opts.scale ? [opts.scale] : [])], BACKWARD_OP);
    for (const t of [opts.dBeta, opts.dGamma, ...(opts.dx ? [opts.dx] : [])]) checkWritable(t, where);
  }
  backwardSumsPass(dy, xhat, m, n, opts.dBeta, opts.dGamma);
  if (opts.dx === undefined) return;
  if (opts.scale === undefined) throw new NnkitError('INVALID_ARGUMENT', `${where}: dx needs scale = γ/(m·std) ([${n}])`);
  checkLike(where, dy.dtype, m * n, { dx: opts.dx });
  checkLike(where, dy.dtype, n, { scale: opts.scale });
  backwardInputPass(dy, xhat, m, n, opts.dBeta, opts.dGamma, opts.scale, opts.dx);
}
