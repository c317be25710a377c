// The backward rules of batch normalization's fused passes. batchNormStatistics records mean,
// variance and std as functions of x; batchNormNormalize records x̂ and y as functions of x, mean,
// std, γ and β. When mean and std are the batch statistics of the same x on the same tape (training
// mode), the rule for x̂ and y is the fused batchNormBackward, whose dx already includes the path
// through the statistics; it then gives mean and std nothing (their other uses, if any, still reach
// x through the statistics' own entries). Otherwise (moving averages: inference) each input gets
// its own partial derivative.
import { broadcastTo } from './autodiff/broadcast';
import { activeTape, recordOp, type Tape } from './autodiff/tape';
import { backwardInputPass, backwardSumsPass } from './batch-norm-passes';
import { affine, div, mul, neg, sub } from './elementwise';
import { sameShape } from './shape';
import { emptyTensor, type Tensor } from './tensor';

interface BatchStatistics {
  readonly tape: Tape;
  readonly x: Tensor;
  readonly mean: Tensor;
}

/** For each std tensor written by batchNormStatistics while recording: the x and mean it came with. */
const statisticsOf = new WeakMap<Tensor, BatchStatistics>();

/** Records mean, variance and std of x [m, n] (biased variance, std = √(variance + ε)). */
export function recordStatistics(x: Tensor, mean: Tensor, variance: Tensor, std: Tensor): void {
  const tape = activeTape;
  if (tape === null || !tape.watched.has(x)) return;
  const [m, n] = x.shape;
  const centered = (): Tensor => sub(x, mean.reshape([1, n]));
  // d mean: dmean/m to every row; d variance: 2(x − mean)·dvar/m (the mean's share sums to zero);
  // d std: (x − mean)·dstd/(m·std).
  recordOp('batchNormStatistics()', mean, [x], (dy) => [affine(broadcastTo(dy.reshape([1, n]), [m, n]), 1 / m)]);
  recordOp('batchNormStatistics()', variance, [x], (dy) => [mul(centered(), affine(dy.reshape([1, n]), 2 / m))]);
  recordOp('batchNormStatistics()', std, [x], (dy) => [mul(centered(), div(dy.reshape([1, n]), affine(std.reshape([1, n]), m)))]);
  statisticsOf.set(std, { tape, x, mean });
}

/** Records x̂ = (x − mean)/std and y = x̂·γ + β. */
export function recordNormalize(x: Tensor, mean: Tensor, std: Tensor, gamma: Tensor, beta: Tensor, xhat: Tensor, y: Tensor): void {
  const tape = activeTape;
  if (tape === null) return;
  const inputs = [x, mean, std, gamma, beta];
  if (!tape.dependsOnArgument(inputs)) return;
  const stats = statisticsOf.get(std);
  const training = stats !== undefined && stats.tape === tape && stats.x === x && stats.mean === mean;
  tape.hold(xhat); // y's rule reads x̂
  recordOp('batchNormNormalize()', xhat, [x, mean, std], (dy, needs) => shapedLike(normalizeGrads(dy, xhat, std, null, training, needs), inputs));
  recordOp('batchNormNormalize()', y, inputs, (dy, needs) => shapedLike(normalizeGrads(dy, xhat, std, gamma, training, needs), inputs));
}

/**
 * [dx, dmean, dstd, dγ, dβ] of y = x̂·γ + β (γ null: of x̂ itself). The column sums dβ = Σ dy and
 * Σ dy⊙x̂ come from one pass of the fused kernel; in training mode so does dx.
 */
function normalizeGrads(dy: Tensor, xhat: Tensor, std: Tensor, gamma: Tensor | null, training: boolean, needs: readonly boolean[]): Array<Tensor | null> {
  const [m, n] = xhat.shape;
  const dBeta = emptyTensor([n], dy.dtype, 'batchNormNormalize()');
  const dGamma = emptyTensor([n], dy.dtype, 'batchNormNormalize()');
  backwardSumsPass(dy, xhat, m, n, dBeta, dGamma);
  const s = std.reshape([n]);
  const gOverStd = gamma === null ? div(1, s) : div(gamma.reshape([n]), s); // γ/std per column
  let dx: Tensor | null = null;
  if (needs[0] && training) {
    // dx = ((m·dy − dβ) − x̂·dγ)·γ/(m·std): the batch statistics' share included.
    const scale = affine(gOverStd, 1 / m);
    dx = emptyTensor([m, n], dy.dtype, 'batchNormNormalize()');
    backwardInputPass(dy, xhat, m, n, dBeta, dGamma, scale, dx);
  } else if (needs[0]) {
    dx = mul(dy, gOverStd.reshape([1, n]));
  }
  const others = !training;
  return [
    dx,
    others && needs[1] ? neg(mul(dBeta, gOverStd)) : null, // −Σ dy·γ/std
    others && needs[2] ? neg(mul(dGamma, gOverStd)) : null, // −Σ dy·γ·x̂/std
    gamma !== null && needs[3] ? dGamma.reshape(gamma.shape) : null,
    gamma !== null && needs[4] ? dBeta : null,
  ];
}

/** Each gradient with its input's shape (the per-column ones come as [n]; an input may be [1, n]). */
function shapedLike(grads: Array<Tensor | null>, inputs: readonly Tensor[]): Array<Tensor | null> {
  return grads.map((g, i) => (g === null || sameShape(g.shape, inputs[i].shape) ? g : g.reshape(inputs[i].shape)));
}
