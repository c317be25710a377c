// Small random rotations about the image centre, sampled with bilinear interpolation.
import { checkOptionKeys, describeValue, NnkitError, portableCos, portableSin } from '@nnkit/tensor-wasm';
import { type Augmentation, checkBatch, checkLayout, checkRng, type ImageLayout, type Layout, mapImages } from './image-batch';

/** Rotations beyond this are not "small": they turn a 6 into a 9. */
export const MAX_ROTATION_DEGREES = 45;

/** Options of {@link randomRotation}. */
export interface RandomRotationOptions extends ImageLayout {
  /** The largest angle in degrees; each image draws its angle uniformly from [−max, max]. */
  maxDegrees: number;
  /** The value of pixels rotated in from outside the image (default 0). */
  fill?: number;
}

/** Every key of {@link RandomRotationOptions}, for the unknown-option check. */
const RANDOM_ROTATION_OPTION_KEYS = ['height', 'width', 'channels', 'maxDegrees', 'fill'] as const satisfies readonly (keyof RandomRotationOptions)[];

/**
 * Writes image `src[base..]` rotated by `radians` (counter-clockwise as displayed, y pointing down)
 * about its centre into `dst[base..]`: each output pixel samples the input at the inversely rotated
 * position, interpolating bilinearly, with `fill` outside the image.
 */
export function rotateImage(
  src: ArrayLike<number>,
  dst: { [i: number]: number },
  base: number,
  layout: Layout,
  radians: number,
  fill: number,
): void {
  const { height: h, width: w, channels: c } = layout;
  const cos = portableCos(radians);
  const sin = portableSin(radians);
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const at = (y: number, x: number, k: number) => (y >= 0 && y < h && x >= 0 && x < w ? src[base + (y * w + x) * c + k] : fill);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = x - cx;
      const v = y - cy;
      const sx = cos * u - sin * v + cx;
      const sy = sin * u + cos * v + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let k = 0; k < c; k++) {
        const top = at(y0, x0, k) * (1 - fx) + at(y0, x0 + 1, k) * fx;
        const bottom = at(y0 + 1, x0, k) * (1 - fx) + at(y0 + 1, x0 + 1, k) * fx;
        dst[base + (y * w + x) * c + k] = top * (1 - fy) + bottom * fy;
      }
    }
  }
}

/**
 * Rotates every image by its own random angle in [−maxDegrees, maxDegrees].
 *
 * @param opts - maxDegrees (at most {@link MAX_ROTATION_DEGREES}), image height/width/channels, fill
 * @returns an {@link Augmentation} (in place)
 * @example
 * randomRotation({ maxDegrees: 10, height: 28, width: 28 }).apply(xBatch, augmentRng);
 */
export function randomRotation(opts: RandomRotationOptions): Augmentation {
  const where = 'randomRotation()';
  const layout = checkLayout(opts, where);
  checkOptionKeys(opts, RANDOM_ROTATION_OPTION_KEYS, where);
  const { maxDegrees, fill = 0 } = opts;
  if (typeof maxDegrees !== 'number' || !(maxDegrees >= 0 && maxDegrees <= MAX_ROTATION_DEGREES)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: maxDegrees ${describeValue(maxDegrees)} must be a number in [0, ${MAX_ROTATION_DEGREES}]`);
  }
  if (typeof fill !== 'number' || Number.isNaN(fill)) throw new NnkitError('INVALID_ARGUMENT', `${where}: fill ${describeValue(fill)} must be a number`);
  const maxRadians = (maxDegrees * Math.PI) / 180;
  return {
    apply(x, rng) {
      const at = 'randomRotation().apply()';
      const n = checkBatch(x, layout, at);
      checkRng(rng, at);
      mapImages(x, n, layout.pixels, (src, dst, base) => {
        rotateImage(src, dst, base, layout, (2 * rng.uniform() - 1) * maxRadians, fill);
      });
    },
  };
}
