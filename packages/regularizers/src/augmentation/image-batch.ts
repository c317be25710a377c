// What every image augmentation shares: the image layout of a batch, and reading/writing its pixels.
import { describeValue, NnkitError, type Rng, Tensor, tensorHint } from '@nnkit/tensor-wasm';

/**
 * A transform of a mini-batch of training images, drawn afresh for every call from `rng`. It
 * changes `x` in place. Apply it to training batches only — never to dev or test data.
 */
export interface Augmentation {
  /**
   * Transforms every image of the batch in place.
   * @param x - `[N, H, W]`, `[N, H, W, C]` or flattened `[N, H·W·C]` (row-major, channels last)
   * @param rng - the generator to draw from (fork one for augmentation from the training seed)
   */
  apply(x: Tensor, rng: Rng): void;
}

/** How images are laid out in each row of a batch (channels last, as TensorFlow.js). */
export interface ImageLayout {
  /** Image height in pixels. */
  height: number;
  /** Image width in pixels. */
  width: number;
  /** Channels per pixel (default 1). */
  channels?: number;
}

/** A checked layout. */
export interface Layout {
  height: number;
  width: number;
  channels: number;
  pixels: number;
}

export function checkLayout(opts: ImageLayout, where: string): Layout {
  if (opts === null || typeof opts !== 'object') {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: expected { height, width, channels }, got ${describeValue(opts)}`);
  }
  const { height, width, channels = 1 } = opts;
  for (const [name, v] of [['height', height], ['width', width], ['channels', channels]] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} ${describeValue(v)} must be a positive integer`);
    }
  }
  return { height, width, channels, pixels: height * width * channels };
}

/** Checks that `x` is a batch of such images and returns how many it holds. */
export function checkBatch(x: Tensor, layout: Layout | null, where: string): number {
  if (!(x instanceof Tensor) || x.isDisposed) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: x must be a live Tensor, got ${describeValue(x)}${tensorHint(x)}`);
  }
  if (x.rank < 2) {
    throw new NnkitError('INVALID_SHAPE', `${where}: x has shape [${x.shape.join(', ')}]; expected a batch [N, …]`);
  }
  const n = x.shape[0];
  if (layout && x.size !== n * layout.pixels) {
    throw new NnkitError(
      'SHAPE_MISMATCH',
      `${where}: x of shape [${x.shape.join(', ')}] does not hold ${layout.height}×${layout.width}×${layout.channels} images (${layout.pixels} values per row)`,
    );
  }
  return n;
}

/** Checks the generator passed to apply(). */
export function checkRng(rng: Rng, where: string): void {
  if (rng === null || typeof rng !== 'object' || typeof rng.uniform !== 'function' || typeof rng.normal !== 'function') {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: rng must be a generator from createRng(seed), got ${describeValue(rng)}`);
  }
}

/**
 * Runs `transform(src, dst, offset)` on every image of the batch through one copy of its values,
 * then writes the batch back. `src` holds the original values; `transform` writes image `i`
 * (starting at `offset`) of `dst`.
 */
export function mapImages(
  x: Tensor,
  n: number,
  pixels: number,
  transform: (src: Float32Array | Float64Array, dst: Float32Array | Float64Array, offset: number, index: number) => void,
): void {
  const src = x.toArray();
  const dst = src.slice();
  for (let i = 0; i < n; i++) transform(src, dst, i * pixels, i);
  x.assign(dst);
}
