// Isotropic Gaussian clusters: scikit-learn's make_blobs.
import { NnkitError } from '@nnkit/tensor-wasm';
import { checkInteger } from '../check';
import type { Dataset, DatasetOptions } from './dataset';
import { checkDatasetOptions, finish } from './dataset';

/** Options of {@link gaussianBlobs}. */
export interface GaussianBlobsOptions extends DatasetOptions {
  /** Number of clusters (drawn uniformly in `box`), or their coordinates. Default 3. */
  centers?: number | readonly (readonly number[])[];
  /** Standard deviation of every cluster, or one per cluster (default 1). */
  std?: number | readonly number[];
  /** Features per example when centers is a number (default 2). */
  features?: number;
  /** Range of random centers per feature (default [−10, 10], scikit-learn's center_box). */
  box?: readonly [number, number];
}

/**
 * Gaussian clusters, as scikit-learn's `make_blobs`: cluster j gets n/k examples (the first n mod k
 * clusters one more) drawn from N(center_j, std_j²·I); its examples have class j.
 *
 * @param opts - n (default 100), centers, std, features, box, seed, shuffle, oneHot, dtype
 * @returns `{ x: [n, features], y, labels, centers }` (y one-hot for more than two clusters)
 * @example
 * const { x, y, centers } = gaussianBlobs({ n: 600, centers: 4, std: 0.8, seed: 1 });
 */
export function gaussianBlobs(opts: GaussianBlobsOptions = {}): Dataset & { centers: number[][] } {
  const where = 'gaussianBlobs()';
  const c = checkDatasetOptions(opts, ['centers', 'std', 'features', 'box'], where);
  const { centers: given = 3, box = [-10, 10] } = opts;
  if (!Array.isArray(box) || box.length !== 2 || !(box[0] < box[1])) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: box ${JSON.stringify(box)} must be [low, high] with low < high`);
  }
  const centerRng = c.rng.fork();
  const pointRng = c.rng.fork();
  const shuffleRng = c.rng.fork();
  let centers: number[][];
  if (typeof given === 'number') {
    const k = checkInteger(given, 'centers', where, 1);
    const d = checkInteger(opts.features ?? 2, 'features', where, 1);
    centers = Array.from({ length: k }, () => Array.from({ length: d }, () => box[0] + (box[1] - box[0]) * centerRng.uniform()));
  } else {
    if (!Array.isArray(given) || given.length === 0 || given.some((p) => !Array.isArray(p) || p.length !== given[0].length || p.length === 0 || p.some((v) => !Number.isFinite(v)))) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: centers must be a positive count or a non-empty list of points of one dimension, got ${JSON.stringify(given)}`);
    }
    centers = given.map((p) => [...p]);
  }
  const k = centers.length;
  const d = centers[0].length;
  const stds = typeof opts.std === 'object' ? [...opts.std] : new Array<number>(k).fill(opts.std ?? 1);
  if (stds.length !== k || stds.some((s) => typeof s !== 'number' || !Number.isFinite(s) || s < 0)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: std ${JSON.stringify(opts.std)} must be a number ≥ 0 or one per center (${k})`);
  }
  if (c.n < k) throw new NnkitError('INVALID_ARGUMENT', `${where}: n ${c.n} is smaller than the ${k} centers; expected at least one example per center`);
  const points = new Float64Array(c.n * d);
  const labels = new Int32Array(c.n);
  let at = 0;
  for (let j = 0; j < k; j++) {
    const count = Math.floor(c.n / k) + (j < c.n % k ? 1 : 0);
    for (let i = 0; i < count; i++, at++) {
      for (let f = 0; f < d; f++) points[at * d + f] = centers[j][f] + stds[j] * pointRng.normal();
      labels[at] = j;
    }
  }
  return { ...finish(points, d, labels, k, c, shuffleRng), centers };
}
