// Two interleaving half circles: scikit-learn's make_moons.
import { portableCos, portableSin } from '@nnkit/tensor-wasm';
import type { Dataset, DatasetOptions } from './dataset';
import { checkDatasetOptions, checkNoise, finishWithNoise, linspace } from './dataset';

/** Options of {@link moons}. */
export interface MoonsOptions extends DatasetOptions {
  /** Standard deviation of Gaussian noise added to both coordinates (default 0). */
  noise?: number;
}

/**
 * Two interleaving half circles, as scikit-learn's `make_moons(n_samples, shuffle, noise)`: class 0
 * is the upper half of the unit circle, (cos t, sin t) for n//2 angles t evenly spaced over [0, π];
 * class 1 is (1 − cos t, 1 − sin t − 0.5) for the other n − n//2. Then shuffle, then noise.
 *
 * @param opts - n (default 100), noise (default 0), seed, shuffle, oneHot, dtype
 * @returns `{ x: [n, 2], y: [n, 1], labels }`
 * @example
 * const { x, y } = moons({ n: 1000, noise: 0.2, seed: 1 });
 */
export function moons(opts: MoonsOptions = {}): Dataset {
  const where = 'moons()';
  const noise = checkNoise(opts.noise, where);
  const c = checkDatasetOptions(opts, ['noise'], where);
  const nOut = Math.floor(c.n / 2);
  const nIn = c.n - nOut;
  const points = new Float64Array(c.n * 2);
  const labels = new Int32Array(c.n);
  linspace(0, Math.PI, nOut).forEach((t, i) => {
    points[2 * i] = portableCos(t);
    points[2 * i + 1] = portableSin(t);
  });
  linspace(0, Math.PI, nIn).forEach((t, i) => {
    points[2 * (nOut + i)] = 1 - portableCos(t);
    points[2 * (nOut + i) + 1] = 1 - portableSin(t) - 0.5;
    labels[nOut + i] = 1;
  });
  return finishWithNoise(points, labels, c, noise);
}
