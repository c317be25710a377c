// Exponentially weighted moving averages v_t = β·v_{t−1} + (1−β)·θ_t, v_0 = 0, optionally
// bias-corrected by 1/(1−β^t), for smoothing loss and accuracy curves.
import { checkOptionKeys, describeValue, NnkitError } from '@nnkit/tensor-wasm';

/** Options of {@link ewma} and {@link ewmaStream}. */
export interface EwmaOptions {
  /** Divide by 1 − β^t so that early values are not pulled towards 0 (default true). */
  biasCorrection?: boolean;
}

function checkBeta(beta: unknown, where: string): number {
  if (typeof beta !== 'number' || !(beta >= 0 && beta < 1)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: beta ${describeValue(beta)} must be a number in [0, 1)`);
  }
  return beta;
}

function checkValue(value: unknown, index: number, where: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: value ${describeValue(value)} at position ${index} is not a number`);
  }
  return value;
}

/** A running exponentially weighted average; see {@link ewmaStream}. */
export interface EwmaStream {
  /** Adds one value and returns the (corrected) average so far. */
  update(value: number): number;
  /** The current (corrected) average; NaN before the first value. */
  readonly value: number;
  /** How many values were added. */
  readonly count: number;
  /** Forgets every value. */
  reset(): void;
}

/**
 * A streaming exponentially weighted average, one value at a time (e.g. per mini-batch loss).
 * It averages over roughly the last 1/(1−β) values (β = 0.9: about 10).
 *
 * @param beta - the weight of the past, in [0, 1)
 * @param opts - biasCorrection (default true)
 * @returns a stream with update(value), value, count and reset()
 * @example
 * const smooth = ewmaStream(0.98);
 * for (const loss of batchLosses) console.log(smooth.update(loss));
 */
export function ewmaStream(beta: number, opts: EwmaOptions = {}): EwmaStream {
  const where = 'ewmaStream()';
  checkOptionKeys(opts, ['biasCorrection'], where);
  const b = checkBeta(beta, where);
  const { biasCorrection = true } = opts;
  let v = 0;
  let t = 0;
  let power = 1; // β^t, kept as a product so long streams do not call Math.pow each time
  const current = () => (t === 0 ? Number.NaN : biasCorrection ? v / (1 - power) : v);
  return {
    update(value: number): number {
      const x = checkValue(value, t, 'ewmaStream().update()');
      v = b * v + (1 - b) * x;
      power *= b;
      t++;
      return current();
    },
    get value() {
      return current();
    },
    get count() {
      return t;
    },
    reset() {
      v = 0;
      t = 0;
      power = 1;
    },
  };
}

/**
 * Exponentially weighted averages of a whole series: out[t] averages values[0..t].
 *
 * @param values - the series (e.g. losses per epoch)
 * @param beta - the weight of the past, in [0, 1)
 * @param opts - biasCorrection (default true)
 * @returns the smoothed series, as long as `values`
 * @example
 * ewma([1, 2, 3], 0.5, { biasCorrection: false });   // [0.5, 1.25, 2.125]
 * ewma([1, 2, 3], 0.5);                               // [1, 1.666…, 2.428…]
 */
export function ewma(values: ArrayLike<number>, beta: number, opts: EwmaOptions = {}): number[] {
  const where = 'ewma()';
  checkOptionKeys(opts, ['biasCorrection'], where);
  checkBeta(beta, where);
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: values must be an array of numbers, got ${describeValue(values)}`);
  }
  for (let i = 0; i < values.length; i++) checkValue(values[i], i, where);
  const stream = ewmaStream(beta, opts);
  return Array.from(values, (x) => stream.update(x));
}
