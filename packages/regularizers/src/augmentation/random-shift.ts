// Random translations: each image moves by a whole number of pixels, the uncovered border filled.
import { checkOptionKeys, describeValue, NnkitError } from '@nnkit/tensor-wasm';
import { type Augmentation, checkBatch, checkLayout, checkRng, type ImageLayout, mapImages } from './image-batch';

/** Options of {@link randomShift}. */
export interface RandomShiftOptions extends ImageLayout {
  /** The largest shift in each direction, in pixels; each image draws dx, dy from [−max, max]. */
  maxPixels: number;
  /** The value of pixels shifted in from outside (default 0, the background of MNIST). */
  fill?: number;
}

/** Every key of {@link RandomShiftOptions}, for the unknown-option check. */
const RANDOM_SHIFT_OPTION_KEYS = ['height', 'width', 'channels', 'maxPixels', 'fill'] as const satisfies readonly (keyof RandomShiftOptions)[];

/**
 * Shifts every image by its own random (dx, dy), uniform integers in [−maxPixels, maxPixels].
 *
 * @param opts - maxPixels, image height/width/channels, fill
 * @returns an {@link Augmentation} (in place)
 * @example
 * const shift = randomShift({ maxPixels: 2, height: 28, width: 28 });
 * shift.apply(xBatch, augmentRng);
 */
export function randomShift(opts: RandomShiftOptions): Augmentation {
  const where = 'randomShift()';
  const layout = checkLayout(opts, where);
  checkOptionKeys(opts, RANDOM_SHIFT_OPTION_KEYS, where);
  const { maxPixels, fill = 0 } = opts;
  if (!Number.isInteger(maxPixels) || maxPixels < 0 || maxPixels >= Math.max(layout.height, layout.width)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: maxPixels ${describeValue(maxPixels)} must be an integer in [0, ${Math.max(layout.height, layout.width)})`);
  }
  if (typeof fill !== 'number' || Number.isNaN(fill)) throw new NnkitError('INVALID_ARGUMENT', `${where}: fill ${describeValue(fill)} must be a number`);
  const { height: h, width: w, channels: c } = layout;
  return {
    apply(x, rng) {
      const at = 'randomShift().apply()';
      const n = checkBatch(x, layout, at);
      checkRng(rng, at);
      const span = 2 * maxPixels + 1;
      mapImages(x, n, layout.pixels, (src, dst, base) => {
        const dy = rng.int(span) - maxPixels;
        const dx = rng.int(span) - maxPixels;
        for (let y = 0; y < h; y++) {
          const sy = y - dy;
          for (let xx = 0; xx < w; xx++) {
            const sx = xx - dx;
            const inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
            const o = base + (y * w + xx) * c;
            const s = base + (sy * w + sx) * c;
            for (let k = 0; k < c; k++) dst[o + k] = inside ? src[s + k] : fill;
          }
        }
      });
    },
  };
}
