// Argument checks shared by the data functions; each throws NnkitError naming the value.
import { countNonFinite, describeValue, NnkitError, Tensor, tensorHint } from '@nnkit/tensor-wasm';

/** Throws unless `x` is a live Tensor with at least one dimension. */
export function checkFeatures(x: unknown, name: string, where: string): Tensor {
  if (!(x instanceof Tensor)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} must be a Tensor [m, …], got ${describeValue(x)}${tensorHint(x)}`);
  }
  if (x.isDisposed) throw new NnkitError('DISPOSED', `${where}: ${name} was used after dispose()`);
  if (x.rank === 0) throw new NnkitError('INVALID_SHAPE', `${where}: ${name} is a scalar; expected a Tensor [m, …] with one example per row`);
  return x;
}

/** Throws if `x` holds NaN or ±Infinity, naming the first such entry. */
export function checkFinite(x: Tensor, name: string, where: string): void {
  if (countNonFinite(x) === 0) return;
  const values = x.toArray();
  const i = values.findIndex((v) => !Number.isFinite(v));
  const row = Math.floor(i / Math.max(1, x.size / x.shape[0]));
  const col = i - row * (x.size / x.shape[0]);
  throw new NnkitError('NON_FINITE', `${where}: ${name} has ${values[i]} at row ${row}, feature ${col}; expected finite numbers`);
}

/** Throws unless `n` is an integer ≥ min. */
export function checkInteger(n: unknown, name: string, where: string, min = 1): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} ${describeValue(n)} must be an integer ≥ ${min}`);
  }
  return n;
}

/** Throws unless `seed` is a non-negative safe integer (what createRng accepts). */
export function checkSeed(seed: unknown, where: string): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: seed ${describeValue(seed)} must be a non-negative safe integer`);
  }
  return seed;
}

/** Throws unless `value` is a finite number ≥ 0. */
export function checkNonNegative(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} ${describeValue(value)} must be a finite number ≥ 0`);
  }
  return value;
}
