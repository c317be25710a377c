// Log loss (cross-entropy) of predicted probabilities, or of logits computed stably.
import { checkOptionKeys, describeValue, NnkitError, Tensor } from '@nnkit/tensor-wasm';
import { type Labels, trueClassIds } from './labels';

/**
 * Probabilities are clipped to [ε, 1 − ε] so that a confident wrong answer costs a large finite
 * amount instead of Infinity; 1e-15 is scikit-learn's long-standing default for log_loss.
 */
export const LOG_LOSS_EPSILON = 1e-15;

/** Options of {@link logLoss}. */
export interface LogLossOptions {
  /** yPred holds logits (softmax / sigmoid applied here, stably); default false: probabilities. */
  fromLogits?: boolean;
  /** Clipping of probabilities (default {@link LOG_LOSS_EPSILON}); unused with fromLogits. */
  epsilon?: number;
}

function logSigmoid(z: number): number {
  return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
}

/**
 * Mean cross-entropy −(1/m)·Σ Σ_c y_c·log p_c of predictions against labels.
 *
 * @param yTrue - class ids (an array or a Tensor `[m]`/`[m, 1]`), or a Tensor `[m, k]` of one-hot or
 *   soft target rows
 * @param yPred - a Tensor `[m, k]` of probabilities (or logits), or for binary problems `[m]`/`[m, 1]`
 *   (or an array) holding the probability (or logit) of class 1
 * @param opts - fromLogits, epsilon
 * @returns the mean loss in nats
 * @example
 * logLoss([0, 1], tensor([0.9, 0.1, 0.2, 0.8], [2, 2]));   // −(ln 0.9 + ln 0.8)/2 ≈ 0.164
 */
export function logLoss(yTrue: Labels, yPred: Labels, opts: LogLossOptions = {}): number {
  const where = 'logLoss()';
  checkOptionKeys(opts, ['fromLogits', 'epsilon'], where);
  const { fromLogits = false, epsilon = LOG_LOSS_EPSILON } = opts;
  if (typeof epsilon !== 'number' || !(epsilon >= 0 && epsilon < 0.5)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: epsilon ${describeValue(epsilon)} must be a number in [0, 0.5)`);
  }
  const predTensor = yPred instanceof Tensor;
  if (predTensor && (yPred.rank === 0 || yPred.rank > 2)) {
    throw new NnkitError('INVALID_SHAPE', `${where}: yPred has shape [${yPred.shape.join(', ')}]; expected [m], [m, 1] or [m, k]`);
  }
  const m = predTensor ? yPred.shape[0] : yPred.length;
  const k = predTensor && yPred.rank === 2 ? yPred.shape[1] : 1;
  const p = predTensor ? yPred.toArray() : Array.from(yPred);
  const soft = yTrue instanceof Tensor && yTrue.rank === 2 && yTrue.shape[1] > 1;
  const targets = soft ? (yTrue as Tensor).toArray() : trueClassIds(yTrue, where);
  const rows = soft ? (yTrue as Tensor).shape[0] : targets.length;
  if (rows !== m) {
    throw new NnkitError('SHAPE_MISMATCH', `${where}: yTrue has ${rows} examples but yPred has ${m}; expected the same number`);
  }
  if (soft && (yTrue as Tensor).shape[1] !== k) {
    throw new NnkitError('SHAPE_MISMATCH', `${where}: yTrue has ${(yTrue as Tensor).shape[1]} columns but yPred has ${k}; expected the same`);
  }
  if (m === 0) throw new NnkitError('INVALID_ARGUMENT', `${where}: no examples; expected at least one`);
  const clip = (v: number) => Math.min(1 - epsilon, Math.max(epsilon, v));
  let total = 0;
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < k; c++) {
      const v = p[r * k + c];
      if (Number.isNaN(v)) throw new NnkitError('INVALID_ARGUMENT', `${where}: yPred has NaN at row ${r}, column ${c}`);
      if (!fromLogits && (v < 0 || v > 1)) {
        throw new NnkitError('INVALID_ARGUMENT', `${where}: yPred[${r}][${c}] = ${v} is not a probability in [0, 1]; pass { fromLogits: true } for logits`);
      }
    }
    if (k === 1) {
      const y = targets[r];
      if (y !== 0 && y !== 1) throw new NnkitError('INVALID_ARGUMENT', `${where}: yTrue[${r}] = ${y}; binary predictions need labels 0 or 1`);
      const v = p[r];
      total -= fromLogits ? logSigmoid(y === 1 ? v : -v) : Math.log(y === 1 ? clip(v) : clip(1 - v));
      continue;
    }
    let logNorm = 0;
    if (fromLogits) {
      let top = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) top = Math.max(top, p[r * k + c]);
      let s = 0;
      for (let c = 0; c < k; c++) s += Math.exp(p[r * k + c] - top);
      logNorm = top + Math.log(s);
    }
    const logProb = (c: number) => (fromLogits ? p[r * k + c] - logNorm : Math.log(clip(p[r * k + c])));
    if (soft) {
      for (let c = 0; c < k; c++) {
        const y = targets[r * k + c];
        if (y !== 0) total -= y * logProb(c);
      }
    } else {
      const y = targets[r];
      if (y >= k) throw new NnkitError('INVALID_ARGUMENT', `${where}: yTrue[${r}] = ${y} but yPred has ${k} columns`);
      total -= logProb(y);
    }
  }
  return total / m;
}
