// L2, L1 and L1+L2 weight penalties with the course's scaling: m is the number of training
// examples, so λ means what it means in the course (L2 cost λ/(2m)·‖W‖²_F, gradient λ/m·W).
import { axpy, axpySign, checkOptionKeys, describeValue, NnkitError, sumAbs, sumSquares, Tensor, tensorHint } from '@nnkit/tensor-wasm';

/**
 * A weight penalty: its cost and its gradient. Attach it to weight matrices (kernels), not to
 * biases — the course regularizes W only, since b adds one number per unit and changes nothing.
 */
export interface Regularizer {
  /** The penalty's coefficients λ (course scaling), for display. */
  readonly config: { readonly l1: number; readonly l2: number };
  /** Keras / TensorFlow.js class name of the same kind of penalty. */
  readonly className: 'L1L2';
  /**
   * The coefficients for serialization, `{ l1, l2 }`, in the course's scaling: Keras' and
   * TensorFlow.js's coefficient for the same L2 cost is λ/(2m), for L1 λ/m.
   */
  getConfig(): { l1: number; l2: number };
  /**
   * The cost term for weights `w`.
   * @param w - a weight tensor
   * @param m - the number of training examples (not the batch size)
   */
  penalty(w: Tensor, m: number): number;
  /**
   * Adds the penalty's gradient into `g` in place.
   * @param w - the weights
   * @param g - their gradient, same shape and dtype; updated in place
   * @param m - the number of training examples (not the batch size)
   */
  addGrad(w: Tensor, g: Tensor, m: number): void;
}

function checkLambda(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} ${describeValue(value)} must be a finite number ≥ 0`);
  }
  return value;
}

function checkExamples(m: unknown, where: string): number {
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 1) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: m ${describeValue(m)} must be the number of training examples, a positive integer`);
  }
  return m;
}

function checkPair(w: Tensor, g: Tensor, where: string): void {
  for (const [name, t] of [['w', w], ['g', g]] as const) {
    if (!(t instanceof Tensor) || t.isDisposed) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} must be a live Tensor, got ${describeValue(t)}${tensorHint(t)}`);
    }
  }
  if (w.dtype !== g.dtype || w.shape.length !== g.shape.length || w.shape.some((d, i) => d !== g.shape[i])) {
    throw new NnkitError(
      'SHAPE_MISMATCH',
      `${where}: gradient [${g.shape.join(', ')}] ${g.dtype} does not match weights [${w.shape.join(', ')}] ${w.dtype}`,
    );
  }
}

function penalize(l1: number, l2: number, name: string): Regularizer {
  return {
    config: Object.freeze({ l1, l2 }),
    className: 'L1L2',
    getConfig: () => ({ l1, l2 }),
    penalty(w: Tensor, m: number): number {
      const where = `${name}.penalty()`;
      const n = checkExamples(m, where);
      let cost = 0;
      if (l2 > 0) cost += (l2 / (2 * n)) * sumSquares(w);
      if (l1 > 0) cost += (l1 / n) * sumAbs(w);
      return cost;
    },
    addGrad(w: Tensor, g: Tensor, m: number): void {
      const where = `${name}.addGrad()`;
      const n = checkExamples(m, where);
      checkPair(w, g, where);
      if (l2 > 0) axpy(l2 / n, w, g);
      if (l1 > 0) axpySign(l1 / n, w, g);
    },
  };
}

/**
 * L2 ("Frobenius", "weight decay") regularization: cost λ/(2m)·Σ‖W‖²_F, gradient λ/m·W.
 *
 * @param lambda - λ ≥ 0, as in the course (e.g. 0.7)
 * @returns a {@link Regularizer}
 * @example
 * const reg = l2(0.7);
 * const cost = crossEntropy + reg.penalty(w, mTrain);
 * reg.addGrad(w, dw, mTrain);   // dw += (0.7 / mTrain)·w
 */
export function l2(lambda: number): Regularizer {
  return penalize(0, checkLambda(lambda, 'lambda', 'l2()'), 'l2');
}

/**
 * L1 regularization: cost λ/m·Σ|W|, gradient λ/m·sign(W) (0 where a weight is exactly 0).
 *
 * @param lambda - λ ≥ 0
 * @returns a {@link Regularizer}
 * @example
 * l1(0.01).addGrad(w, dw, mTrain);
 */
export function l1(lambda: number): Regularizer {
  return penalize(checkLambda(lambda, 'lambda', 'l1()'), 0, 'l1');
}

/**
 * L1 and L2 together: cost l1/m·Σ|W| + l2/(2m)·Σ‖W‖², gradient the sum of both.
 *
 * @param opts - `{ l1, l2 }`, each ≥ 0 (default 0)
 * @returns a {@link Regularizer}
 * @example
 * const reg = l1l2({ l1: 0.01, l2: 0.7 });
 */
export function l1l2(opts: { l1?: number; l2?: number }): Regularizer {
  if (opts === null || typeof opts !== 'object') {
    throw new NnkitError('INVALID_ARGUMENT', `l1l2(): expected { l1, l2 }, got ${describeValue(opts)}`);
  }
  checkOptionKeys(opts, ['l1', 'l2'], 'l1l2()');
  return penalize(checkLambda(opts.l1 ?? 0, 'l1', 'l1l2()'), checkLambda(opts.l2 ?? 0, 'l2', 'l1l2()'), 'l1l2');
}
