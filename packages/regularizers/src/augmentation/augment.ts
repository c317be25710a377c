// Composing augmentations into one.
import { describeValue, NnkitError } from '@nnkit/tensor-wasm';
import type { Augmentation } from './image-batch';

/**
 * One augmentation that applies several in order, all drawing from the same generator.
 *
 * @param steps - augmentations, applied first to last
 * @returns an {@link Augmentation} (in place)
 * @example
 * const aug = augment([
 *   randomShift({ maxPixels: 2, height: 28, width: 28 }),
 *   randomRotation({ maxDegrees: 10, height: 28, width: 28 }),
 *   gaussianNoise({ std: 0.05, clip: [0, 1] }),
 * ]);
 * await model.fit(xTrain, yTrain, { batchSize: 64, seed, augment: aug }); // fit of @nnkit/layers
 */
export function augment(steps: readonly Augmentation[]): Augmentation {
  if (!Array.isArray(steps)) throw new NnkitError('INVALID_ARGUMENT', `augment(): steps must be an array of augmentations, got ${describeValue(steps)}`);
  steps.forEach((s, i) => {
    if (s === null || typeof s !== 'object' || typeof s.apply !== 'function') {
      throw new NnkitError('INVALID_ARGUMENT', `augment(): step ${i} (${describeValue(s)}) is not an augmentation with apply(x, rng)`);
    }
  });
  const list = [...steps];
  return {
    apply(x, rng) {
      for (const s of list) s.apply(x, rng);
    },
  };
}
