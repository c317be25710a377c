// Random mirror images. Horizontal flips suit photographs; they do not suit digits or text.
import { checkOptionKeys, describeValue, NnkitError } from '@nnkit/tensor-wasm';
import { type Augmentation, checkBatch, checkLayout, checkRng, type ImageLayout, mapImages } from './image-batch';

/** Options of {@link randomFlip}. */
export interface RandomFlipOptions extends ImageLayout {
  /** 'horizontal' (left ↔ right, default), 'vertical' (top ↔ bottom) or 'both' (each drawn on its own). */
  mode?: 'horizontal' | 'vertical' | 'both';
  /** The probability that an image is flipped (default 0.5). */
  probability?: number;
}

/** Every key of {@link RandomFlipOptions}, for the unknown-option check. */
const RANDOM_FLIP_OPTION_KEYS = ['height', 'width', 'channels', 'mode', 'probability'] as const satisfies readonly (keyof RandomFlipOptions)[];

/**
 * Mirrors each image with probability `probability`.
 *
 * @param opts - image height/width/channels, mode, probability
 * @returns an {@link Augmentation} (in place)
 * @example
 * randomFlip({ height: 32, width: 32, channels: 3 }).apply(xBatch, augmentRng);
 */
export function randomFlip(opts: RandomFlipOptions): Augmentation {
  const where = 'randomFlip()';
  const layout = checkLayout(opts, where);
  checkOptionKeys(opts, RANDOM_FLIP_OPTION_KEYS, where);
  const { mode = 'horizontal', probability = 0.5 } = opts;
  if (mode !== 'horizontal' && mode !== 'vertical' && mode !== 'both') {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: mode '${String(mode)}' must be 'horizontal', 'vertical' or 'both'`);
  }
  if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: probability ${describeValue(probability)} must be a number in [0, 1]`);
  }
  const { height: h, width: w, channels: c } = layout;
  return {
    apply(x, rng) {
      const at = 'randomFlip().apply()';
      const n = checkBatch(x, layout, at);
      checkRng(rng, at);
      mapImages(x, n, layout.pixels, (src, dst, base) => {
        const flipX = mode !== 'vertical' && rng.uniform() < probability;
        const flipY = mode !== 'horizontal' && rng.uniform() < probability;
        if (!flipX && !flipY) return;
        for (let y = 0; y < h; y++) {
          const sy = flipY ? h - 1 - y : y;
          for (let xx = 0; xx < w; xx++) {
            const sx = flipX ? w - 1 - xx : xx;
            const o = base + (y * w + xx) * c;
            const s = base + (sy * w + sx) * c;
            for (let k = 0; k < c; k++) dst[o + k] = src[s + k];
          }
        }
      });
    },
  };
}
