// Weight initializers: the course's zeros, scaled random, He, LeCun/"Xavier", and Glorot's two
// variants. Each draws standard normals (or uniforms) in row-major order from the generator it is
// given, so a model's seed fixes its weights on every platform.
import { type DType, randn, randu, type Rng, type Tensor, zeros } from '@nnkit/tensor-wasm';
import { fail } from './errors';

/** Initializer names, or `{ scale }` for standard normals times `scale`. */
export type InitializerName = 'zeros' | 'random' | 'he' | 'lecun' | 'xavier' | 'glorotNormal' | 'glorotUniform';
export type Initializer = InitializerName | { scale: number };

/** The course's small random init: N(0, 1)·0.01 ("large" init is `{ scale: 10 }`). */
export const RANDOM_INIT_SCALE = 0.01;

const NAMES: readonly InitializerName[] = ['zeros', 'random', 'he', 'lecun', 'xavier', 'glorotNormal', 'glorotUniform'];

/** Throws unless `init` is a known initializer; returns it. */
export function checkInitializer(init: unknown, where: string): Initializer {
  if (typeof init === 'string' && (NAMES as readonly string[]).includes(init)) return init as Initializer;
  if (init !== null && typeof init === 'object' && 'scale' in init) {
    const scale = (init as { scale: unknown }).scale;
    if (typeof scale === 'number' && Number.isFinite(scale) && scale >= 0) return { scale };
  }
  return fail('INVALID_ARGUMENT', `${where}: init ${JSON.stringify(init)} is not one of ${NAMES.join(', ')} or { scale: number ≥ 0 }`);
}

/**
 * The standard deviation (normal initializers) or half-width (glorotUniform) for a kernel
 * [fanIn, fanOut]: He √(2/n_in), LeCun/Xavier √(1/n_in), Glorot normal √(2/(n_in+n_out)),
 * Glorot uniform √(6/(n_in+n_out)).
 *
 * @param init - an initializer
 * @param fanIn - inputs of the layer
 * @param fanOut - outputs of the layer
 * @returns the scale
 * @example
 * initializerScale('he', 784, 256); // ≈ 0.0505
 */
export function initializerScale(init: Initializer, fanIn: number, fanOut: number): number {
  if (typeof init === 'object') return init.scale;
  switch (init) {
    case 'zeros':
      return 0;
    case 'random':
      return RANDOM_INIT_SCALE;
    case 'he':
      return Math.sqrt(2 / fanIn);
    case 'lecun':
    case 'xavier':
      return Math.sqrt(1 / fanIn);
    case 'glorotNormal':
      return Math.sqrt(2 / (fanIn + fanOut));
    case 'glorotUniform':
      return Math.sqrt(6 / (fanIn + fanOut));
  }
}

/**
 * A new kernel [fanIn, fanOut] drawn with `init` from `rng`.
 *
 * @param init - an initializer
 * @param shape - [fanIn, fanOut]
 * @param rng - the generator to draw from (the model's initialization stream)
 * @param dtype - 'float32' or 'float64'
 * @returns a new tensor the caller owns
 * @example
 * const w = initialize('he', [784, 256], createRng(1), 'float32');
 */
export function initialize(init: Initializer, shape: [number, number], rng: Rng, dtype: DType): Tensor {
  const [fanIn, fanOut] = shape;
  const scale = initializerScale(init, fanIn, fanOut);
  if (init === 'zeros') return zeros(shape, dtype);
  if (init === 'glorotUniform') return randu(shape, { rng, dtype, low: -scale, high: scale });
  return randn(shape, { rng, dtype, std: scale });
}
