// Creating tensors: from values, filled with a constant, or drawn from a seeded generator.
import { kernels, kernelState } from './backend';
import { checkDType, type DType } from './dtype';
import { NnkitError } from './errors';
import { createRng, type Rng } from './rng';
import { checkShape, formatShape } from './shape';
import { emptyTensor, offsetOf, type Tensor } from './tensor';
import { checkNumbers } from './values';

/**
 * A tensor holding `values` (row-major) with `shape`.
 *
 * @param values - numbers, as many as the shape holds
 * @param shape - dimensions; defaults to [values.length]
 * @param dtype - 'float32' (default) or 'float64'
 * @example
 * const w = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
 */
export function tensor(values: ArrayLike<number>, shape?: readonly number[], dtype: DType = 'float32'): Tensor {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new NnkitError('INVALID_ARGUMENT', `tensor(): values must be an array or typed array of numbers, got ${String(values)}`);
  }
  // Before the size check: nested rows ([[1, 2], [3, 4]]) have the wrong length, and the message
  // that helps is the one saying the values must be flat.
  checkNumbers(values, 'tensor()');
  const s = shape ?? [values.length];
  const checked = checkShape(s, 'tensor()');
  if (checked.size !== values.length) {
    throw new NnkitError(
      'SHAPE_MISMATCH',
      `tensor(): ${values.length} values do not fill shape ${formatShape(checked.shape)}, which holds ${checked.size}`,
    );
  }
  checkDType(dtype, 'tensor()');
  return emptyTensor(checked.shape, dtype, 'tensor()').assign(values);
}

/** A tensor of `shape` with every element `value`. */
export function full(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  if (typeof value !== 'number') {
    throw new NnkitError('INVALID_ARGUMENT', `full(): value must be a number, got ${typeof value}`);
  }
  const t = emptyTensor(shape, dtype, 'full()');
  kernels(t.dtype).fill(offsetOf(t), t.size, value);
  return t;
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 0, dtype);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 1, dtype);
}

/** Where random numbers come from: a seed for a fresh generator, or a generator to draw from. */
export interface RandomOptions {
  seed?: number;
  rng?: Rng;
  dtype?: DType;
}

function generatorOf(opts: RandomOptions, where: string): Rng {
  if (opts.rng && opts.seed !== undefined) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: give either seed or rng, not both`);
  }
  if (opts.rng) return opts.rng;
  return createRng(opts.seed ?? Math.floor(Math.random() * 2 ** 32));
}

function fillFrom(t: Tensor, draw: () => number): Tensor {
  const s = kernelState();
  const view = t.dtype === 'float32' ? s.f32 : s.f64;
  const start = offsetOf(t) / (t.dtype === 'float32' ? 4 : 8);
  for (let i = 0; i < t.size; i++) view[start + i] = draw();
  return t;
}

function checkFinite(value: number, name: string, where: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} must be a finite number, got ${String(value)}`);
  }
}

/**
 * Normally distributed values, mean + std·N(0, 1), drawn in row-major order.
 * @example
 * const w = randn([784, 256], { seed: 1, std: Math.sqrt(2 / 784) });
 */
export function randn(shape: readonly number[], opts: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const { mean = 0, std = 1 } = opts;
  checkFinite(mean, 'mean', 'randn()');
  checkFinite(std, 'std', 'randn()');
  if (std < 0) throw new NnkitError('INVALID_ARGUMENT', `randn(): std ${std} must be ≥ 0`);
  const rng = generatorOf(opts, 'randn()');
  const t = emptyTensor(shape, checkDType(opts.dtype ?? 'float32', 'randn()'), 'randn()');
  return fillFrom(t, () => mean + std * rng.normal());
}

/**
 * Uniformly distributed values in [low, high), drawn in row-major order.
 * @example
 * const u = randu([3, 3], { seed: 7, low: -1, high: 1 });
 */
export function randu(shape: readonly number[], opts: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const { low = 0, high = 1 } = opts;
  checkFinite(low, 'low', 'randu()');
  checkFinite(high, 'high', 'randu()');
  if (!(low < high)) throw new NnkitError('INVALID_ARGUMENT', `randu(): low ${low} must be below high ${high}`);
  const rng = generatorOf(opts, 'randu()');
  const t = emptyTensor(shape, checkDType(opts.dtype ?? 'float32', 'randu()'), 'randu()');
  return fillFrom(t, () => low + (high - low) * rng.uniform());
}
