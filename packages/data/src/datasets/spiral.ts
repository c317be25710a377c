// Interleaved spiral arms, one per class: the classic data set that no linear classifier separates
// (the construction of Stanford's CS231n notes).
import { portableCos, portableSin } from '@nnkit/tensor-wasm';
import type { Dataset, DatasetOptions } from './dataset';
import { checkDatasetOptions, checkNoise, finish, linspace } from './dataset';
import { checkInteger } from '../check';

/** Radians each arm turns through, as in the CS231n construction. */
export const SPIRAL_ARM_RADIANS = 4;

/** Options of {@link spiral}. */
export interface SpiralOptions extends DatasetOptions {
  /** Number of arms (classes), default 3. */
  classes?: number;
  /** Standard deviation of Gaussian noise on each point's angle, in radians (default 0.2). */
  noise?: number;
}

/**
 * Spiral arms: arm j holds its share of the n points (n/classes, the first arms one more when it does
 * not divide) at radius r evenly spaced in [0, 1] and angle θ evenly spaced over
 * [4j, 4(j+1)] radians plus N(0, noise²); the point is (r·sin θ, r·cos θ).
 *
 * @param opts - n (default 100), classes (default 3), noise (default 0.2), seed, shuffle, oneHot, dtype
 * @returns `{ x: [n, 2], y, labels }` (y one-hot `[n, classes]`, or `[n, 1]` for two arms)
 * @example
 * const { x, y } = spiral({ n: 300, classes: 3, seed: 1 });
 */
export function spiral(opts: SpiralOptions = {}): Dataset {
  const where = 'spiral()';
  const noise = checkNoise(opts.noise ?? 0.2, where);
  const classes = checkInteger(opts.classes ?? 3, 'classes', where, 2);
  const c = checkDatasetOptions(opts, ['classes', 'noise'], where, classes);
  const points = new Float64Array(c.n * 2);
  const labels = new Int32Array(c.n);
  const noiseRng = c.rng.fork();
  const shuffleRng = c.rng.fork();
  let at = 0;
  for (let j = 0; j < classes; j++) {
    const count = Math.floor(c.n / classes) + (j < c.n % classes ? 1 : 0);
    const radius = linspace(0, 1, count);
    const angle = linspace(SPIRAL_ARM_RADIANS * j, SPIRAL_ARM_RADIANS * (j + 1), count);
    for (let i = 0; i < count; i++, at++) {
      const theta = angle[i] + noise * noiseRng.normal();
      points[2 * at] = radius[i] * portableSin(theta);
      points[2 * at + 1] = radius[i] * portableCos(theta);
      labels[at] = j;
    }
  }
  return finish(points, 2, labels, classes, c, shuffleRng);
}
