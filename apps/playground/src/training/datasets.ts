// The data of a run, set up as the course teaches: generate (or load), split train/dev with a seed
// and stratified by class, then standardize with the training set's statistics only.
import { circles, gaussianBlobs, moons, spiral, split, standardizer, type Standardizer } from '@nnkit/data';
import { type Mnist, mnist } from '@nnkit/data/mnist';
import type { Tensor } from '@nnkit/tensor-wasm';
import type { RunConfig } from './config';

/** Clusters of the blobs problem. */
export const BLOB_CENTERS = 4;
/** Arms (classes) of the spiral. */
export const SPIRAL_ARMS = 3;
/** The circles' inner radius relative to the outer one. */
export const CIRCLES_FACTOR = 0.5;

/** A split, standardized data set plus what the page needs to draw it. */
export interface RunData {
  /** Standardized features and targets. */
  train: { x: Tensor; y: Tensor };
  dev: { x: Tensor; y: Tensor };
  /** 2 (one sigmoid output) or more (softmax outputs). */
  classes: number;
  features: number;
  /** Class ids of the training and dev examples. */
  trainLabels: Int32Array;
  devLabels: Int32Array;
  /** The raw (unstandardized) features, for drawing the points in their own coordinates. */
  trainRaw: Float32Array;
  devRaw: Float32Array;
  /** Fitted on the training set; the decision-boundary grid goes through it too. */
  norm: Standardizer;
  dispose(): void;
}

let digits: Promise<Mnist> | null = null;

/** The MNIST digits, loaded once per thread: the `mnist` package's JSON is 21 MB. */
function loadDigits(): Promise<Mnist> {
  digits ??= mnist();
  return digits;
}

/**
 * Generates the toy problem of `config`: `noise` is the coordinate noise of moons and circles, the
 * angle noise (radians) of the spiral, and for the blobs it widens each cluster (std 1 + 8·noise
 * around centers drawn in [−10, 10]²).
 */
function generate(config: RunConfig): { x: Tensor; y: Tensor; labels: Int32Array; classes: number } {
  const { examples: n, noise, seed } = config;
  switch (config.dataset) {
    case 'moons':
      return { ...moons({ n, noise, seed }), classes: 2 };
    case 'circles':
      return { ...circles({ n, noise, factor: CIRCLES_FACTOR, seed }), classes: 2 };
    case 'spiral':
      return { ...spiral({ n, noise, classes: SPIRAL_ARMS, seed }), classes: SPIRAL_ARMS };
    case 'blobs': {
      const { x, y, labels } = gaussianBlobs({ n, centers: BLOB_CENTERS, std: 1 + 8 * noise, seed });
      return { x, y, labels, classes: BLOB_CENTERS };
    }
    default:
      throw new RangeError(`playground: ${config.dataset} is not a toy problem`);
  }
}

/**
 * Builds the data of a run: the toy problem or the MNIST digits, a seeded stratified train/dev split
 * of `trainFraction`, and inputs standardized with the training statistics.
 *
 * @param config - the run's settings
 * @returns the tensors (the caller disposes them with `dispose()`) and the raw points
 * @example
 * const data = await loadRunData(resolveConfig({ dataset: 'moons' }));
 */
export async function loadRunData(config: RunConfig): Promise<RunData> {
  const source = config.dataset === 'mnist' ? await loadDigits() : null;
  const full = source ? { x: source.x, y: source.y, labels: source.labels, classes: 10 } : generate(config);
  const parts = split(full.x, full.y, { train: config.trainFraction, dev: 1 - config.trainFraction, stratify: true, seed: config.seed });
  if (!source) {
    full.x.dispose();
    full.y.dispose();
  }
  const norm = standardizer().fit(parts.train.x);
  const train = { x: norm.transform(parts.train.x), y: parts.train.y };
  const dev = { x: norm.transform(parts.dev.x), y: parts.dev.y };
  const trainRaw = Float32Array.from(parts.train.x.toArray());
  const devRaw = Float32Array.from(parts.dev.x.toArray());
  parts.train.x.dispose();
  parts.dev.x.dispose();
  return {
    train,
    dev,
    classes: full.classes,
    features: train.x.shape[1],
    trainLabels: Int32Array.from(parts.train.indices, (i) => full.labels[i]),
    devLabels: Int32Array.from(parts.dev.indices, (i) => full.labels[i]),
    trainRaw,
    devRaw,
    norm,
    dispose() {
      for (const t of [train.x, train.y, dev.x, dev.y]) t.dispose();
      norm.dispose();
    },
  };
}
