// A large circle containing a smaller one: scikit-learn's make_circles.
import { describeValue, NnkitError, portableCos, portableSin } from '@nnkit/tensor-wasm';
import type { Dataset, DatasetOptions } from './dataset';
import { checkDatasetOptions, checkNoise, finishWithNoise, linspace } from './dataset';

/** Options of {@link circles}. */
export interface CirclesOptions extends DatasetOptions {
  /** Standard deviation of Gaussian noise added to both coordinates (default 0). */
  noise?: number;
  /** Radius of the inner circle relative to the outer one, in [0, 1) (default 0.8, scikit-learn's). */
  factor?: number;
}

/**
 * Two concentric circles, as scikit-learn's `make_circles(n_samples, shuffle, noise, factor)`:
 * class 0 is n//2 points evenly spaced on the unit circle (angles 2πi/(n//2)), class 1 the other
 * n − n//2 on the circle of radius `factor`. Then shuffle, then noise.
 *
 * @param opts - n (default 100), noise (default 0), factor (default 0.8), seed, shuffle, oneHot, dtype
 * @returns `{ x: [n, 2], y: [n, 1], labels }`
 * @example
 * const { x, y } = circles({ n: 1000, noise: 0.05, factor: 0.5, seed: 1 });
 */
export function circles(opts: CirclesOptions = {}): Dataset {
  const where = 'circles()';
  const noise = checkNoise(opts.noise, where);
  const factor = opts.factor ?? 0.8;
  if (typeof factor !== 'number' || !(factor >= 0 && factor < 1)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: factor ${describeValue(factor)} must be a number in [0, 1)`);
  }
  const c = checkDatasetOptions(opts, ['noise', 'factor'], where);
  const nOut = Math.floor(c.n / 2);
  const nIn = c.n - nOut;
  const points = new Float64Array(c.n * 2);
  const labels = new Int32Array(c.n);
  linspace(0, 2 * Math.PI, nOut, false).forEach((t, i) => {
    points[2 * i] = portableCos(t);
    points[2 * i + 1] = portableSin(t);
  });
  linspace(0, 2 * Math.PI, nIn, false).forEach((t, i) => {
    points[2 * (nOut + i)] = portableCos(t) * factor;
    points[2 * (nOut + i) + 1] = portableSin(t) * factor;
    labels[nOut + i] = 1;
  });
  return finishWithNoise(points, labels, c, noise);
}
