// What the synthetic data sets share: options, and turning points and labels into tensors.
import { checkOptionKeys, createRng, describeValue, type DType, NnkitError, type Rng, type Tensor, tensor } from '@nnkit/tensor-wasm';
import { checkInteger, checkNonNegative, checkSeed } from '../check';
import { oneHot } from '../labels';
import { permutation } from '../permutation';

/** A labelled data set. */
export interface Dataset {
  /** Features `[n, features]`. */
  x: Tensor;
  /**
   * Targets: `[n, 1]` of 0/1 for two classes (for a sigmoid output), one-hot `[n, k]` for more
   * (for a softmax output); one-hot for two classes too with `oneHot: true`.
   */
  y: Tensor;
  /** The class id of every example. */
  labels: Int32Array;
}

/** Options every synthetic data set takes. */
export interface DatasetOptions {
  /** Number of examples (default 100, as scikit-learn). */
  n?: number;
  /** Seed of the generator (default 0). */
  seed?: number;
  /** Shuffle the examples (default true); false keeps them grouped by class, in generation order. */
  shuffle?: boolean;
  /** Give `y` as one-hot rows even for two classes (default false). */
  oneHot?: boolean;
  /** dtype of x and y (default 'float32'). */
  dtype?: DType;
}

/** Every key of {@link DatasetOptions}, for the unknown-option check. */
const DATASET_OPTION_KEYS = ['n', 'seed', 'shuffle', 'oneHot', 'dtype'] as const satisfies readonly (keyof DatasetOptions)[];

export interface Checked {
  n: number;
  rng: Rng;
  shuffle: boolean;
  oneHot: boolean;
  dtype: DType;
}

/** The options every data set takes; a data set's own are `ownKeys`. */
export function checkDatasetOptions(opts: DatasetOptions, ownKeys: readonly string[], where: string, minN = 1): Checked {
  if (opts === null || typeof opts !== 'object') throw new NnkitError('INVALID_ARGUMENT', `${where}: expected options, got ${describeValue(opts)}`);
  checkOptionKeys(opts, [...DATASET_OPTION_KEYS, ...ownKeys], where);
  const { n = 100, seed = 0, shuffle = true, oneHot = false, dtype = 'float32' } = opts;
  checkInteger(n, 'n', where, minN);
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new NnkitError('UNKNOWN_DTYPE', `${where}: dtype '${String(dtype)}' must be 'float32' or 'float64'`);
  }
  return { n, rng: createRng(checkSeed(seed, where)), shuffle, oneHot, dtype };
}

export function checkNoise(noise: unknown, where: string): number {
  return checkNonNegative(noise ?? 0, 'noise', where);
}

/**
 * Tensors from row-major points (n × d) and labels, shuffled first when asked (rows and labels
 * together, as scikit-learn's generators do before adding noise).
 */
export function finish(points: Float64Array, d: number, labels: Int32Array, classes: number, c: Checked, rng: Rng): Dataset {
  const n = labels.length;
  let x = points;
  let ids = labels;
  if (c.shuffle) {
    const order = permutation(n, rng);
    x = new Float64Array(n * d);
    ids = new Int32Array(n);
    order.forEach((from, to) => {
      x.set(points.subarray(from * d, (from + 1) * d), to * d);
      ids[to] = labels[from];
    });
  }
  const y = classes === 2 && !c.oneHot ? tensor(ids, [n, 1], c.dtype) : oneHot(ids, classes, c.dtype);
  return { x: tensor(x, [n, d], c.dtype), y, labels: ids };
}

/** numpy.linspace(start, stop, num, endpoint): num evenly spaced values. */
export function linspace(start: number, stop: number, num: number, endpoint = true): Float64Array {
  const out = new Float64Array(num);
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  if (endpoint && num > 1) out[num - 1] = stop;
  return out;
}

/**
 * {@link finish} for two classes of points in the plane, then N(0, noise²) added to every feature in
 * row-major order (scikit-learn's make_moons and make_circles shuffle, then perturb). The shuffle and
 * the noise draw from two forks of the generator, taken in that order.
 */
export function finishWithNoise(points: Float64Array, labels: Int32Array, c: Checked, noise: number): Dataset {
  const shuffleRng = c.rng.fork();
  const noiseRng = c.rng.fork();
  const data = finish(points, 2, labels, 2, c, shuffleRng);
  if (noise > 0) {
    const v = data.x.toArray();
    for (let i = 0; i < v.length; i++) v[i] += noise * noiseRng.normal();
    data.x.assign(v);
  }
  return data;
}
