// Additive Gaussian noise on every input value, optionally clipped back into the data's range.
import { checkOptionKeys, describeValue, NnkitError } from '@nnkit/tensor-wasm';
import { type Augmentation, checkBatch, checkRng } from './image-batch';

/** Options of {@link gaussianNoise}. */
export interface GaussianNoiseOptions {
  /** Standard deviation of the noise (> 0). */
  std: number;
  /** Clip results to [low, high], e.g. [0, 1] for pixel intensities; default: no clipping. */
  clip?: readonly [number, number];
}

/**
 * Adds independent N(0, std²) noise to every value of the batch. Works on any batch shape.
 *
 * @param opts - std, clip
 * @returns an {@link Augmentation} (in place)
 * @example
 * gaussianNoise({ std: 0.1, clip: [0, 1] }).apply(xBatch, augmentRng);
 */
export function gaussianNoise(opts: GaussianNoiseOptions): Augmentation {
  const where = 'gaussianNoise()';
  if (opts === null || typeof opts !== 'object') throw new NnkitError('INVALID_ARGUMENT', `${where}: expected { std }, got ${describeValue(opts)}`);
  checkOptionKeys(opts, ['std', 'clip'], where);
  const { std, clip } = opts;
  if (typeof std !== 'number' || !Number.isFinite(std) || std <= 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: std ${describeValue(std)} must be a finite number > 0`);
  }
  if (clip !== undefined && !(Array.isArray(clip) && clip.length === 2 && clip[0] < clip[1])) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: clip ${JSON.stringify(clip)} must be [low, high] with low < high`);
  }
  const [low, high] = clip ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  return {
    apply(x, rng) {
      const at = 'gaussianNoise().apply()';
      checkBatch(x, null, at);
      checkRng(rng, at);
      const values = x.toArray();
      for (let i = 0; i < values.length; i++) values[i] = Math.min(high, Math.max(low, values[i] + std * rng.normal()));
      x.assign(values);
    },
  };
}
