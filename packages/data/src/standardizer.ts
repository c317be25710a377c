// Input normalization: the mean and standard deviation of each feature, fitted on training data
// and applied unchanged to dev and test data.
import { add, div, keep, mul, NnkitError, sub, type DType, type Tensor, tensor } from '@nnkit/tensor-wasm';
import { checkFeatures, checkFinite } from './check';

/**
 * A feature whose standard deviation is below this many float64 epsilons (relative to its mean's
 * size) counts as constant and is divided by 1, not by its near-zero std — scikit-learn's
 * StandardScaler draws the line at 10·ε in the same way.
 */
export const CONSTANT_FEATURE_EPSILONS = 10;

/** Rows read from the kernel per pass, so fitting large data does not copy it all at once. */
const FIT_CHUNK_ROWS = 4096;

/** A fitted standardizer; see {@link standardizer}. */
export interface Standardizer {
  /** Per-feature means, shape x.shape.slice(1), in the dtype of the fitted data. */
  readonly mean: Tensor;
  /** Per-feature population standard deviations (0 for a constant feature). */
  readonly std: Tensor;
  /** What transform divides by: std, or 1 for constant features. */
  readonly scale: Tensor;
  /** The statistics as plain numbers, e.g. for saving with the model. */
  readonly stats: { mean: Float64Array; std: Float64Array; scale: Float64Array };
  /** (x − mean) / scale, as a new tensor, or written into `out` (same shape and dtype as x). */
  transform(x: Tensor, out?: Tensor): Tensor;
  /** x·scale + mean: undoes transform. */
  inverse(x: Tensor): Tensor;
  /** Frees mean, std and scale. */
  dispose(): void;
}

/** The unfitted standardizer; call fit on training data. */
export interface StandardizerFactory {
  /**
   * Computes the statistics of `xTrain`.
   * @param xTrain - training features `[m, …]` (finite numbers)
   */
  fit(xTrain: Tensor): Standardizer;
}

function featureStats(x: Tensor): { mean: Float64Array; std: Float64Array } {
  const m = x.shape[0];
  const n = x.size / m;
  const sum = new Float64Array(n);
  const chunks = (visit: (v: Float32Array | Float64Array, rows: number) => void) => {
    for (let r = 0; r < m; r += FIT_CHUNK_ROWS) {
      const view = x.rows(r, Math.min(m, r + FIT_CHUNK_ROWS));
      visit(view.toArray(), view.shape[0]);
      view.dispose();
    }
  };
  chunks((v, rows) => {
    for (let i = 0; i < rows; i++) for (let j = 0; j < n; j++) sum[j] += v[i * n + j];
  });
  const mean = sum.map((s) => s / m);
  // Two passes: Σ(x − mean)² does not cancel catastrophically the way Σx² − m·mean² can.
  const squares = new Float64Array(n);
  chunks((v, rows) => {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < n; j++) {
        const d = v[i * n + j] - mean[j];
        squares[j] += d * d;
      }
    }
  });
  return { mean, std: squares.map((s) => Math.sqrt(s / m)) };
}

/**
 * Zero-mean, unit-variance scaling of each feature (the course's input normalization). Fit it on the
 * training set only, then transform train, dev and test with the same statistics. Features that are
 * constant in the training data are only centred (divided by 1), never divided by zero.
 *
 * @returns a factory whose `fit(xTrain)` returns `{ mean, std, scale, transform, inverse, dispose }`
 * @example
 * const norm = standardizer().fit(train.x);
 * const xTrain = norm.transform(train.x);
 * const xDev = norm.transform(dev.x);       // the training mean and std, not dev's own
 */
export function standardizer(): StandardizerFactory {
  return {
    fit(xTrain: Tensor): Standardizer {
      const where = 'standardizer().fit()';
      checkFeatures(xTrain, 'xTrain', where);
      if (xTrain.shape[0] < 1) throw new NnkitError('INVALID_SHAPE', `${where}: xTrain has no rows; expected at least one example`);
      checkFinite(xTrain, 'xTrain', where);
      const { mean, std } = featureStats(xTrain);
      const scale = std.map((s, j) => (s < CONSTANT_FEATURE_EPSILONS * Number.EPSILON * Math.max(1, Math.abs(mean[j])) ? 1 : s));
      const featureShape = xTrain.shape.slice(1);
      const dtype: DType = xTrain.dtype;
      const [meanT, stdT, scaleT] = [mean, std, scale].map((v) => keep(tensor(v, featureShape, dtype)));
      const checkInput = (x: Tensor, at: string) => {
        checkFeatures(x, 'x', at);
        const shape = x.shape.slice(1);
        if (shape.length !== featureShape.length || shape.some((d, i) => d !== featureShape[i]) || x.dtype !== dtype) {
          throw new NnkitError(
            'SHAPE_MISMATCH',
            `${at}: x has rows of shape [${shape.join(', ')}] ${x.dtype}; the standardizer was fitted on [${featureShape.join(', ')}] ${dtype}`,
          );
        }
      };
      return {
        mean: meanT,
        std: stdT,
        scale: scaleT,
        stats: { mean, std, scale },
        transform(x: Tensor, out?: Tensor): Tensor {
          checkInput(x, 'standardizer.transform()');
          checkFinite(x, 'x', 'standardizer.transform()');
          const result = sub(x, meanT, out === undefined ? {} : { out });
          return div(result, scaleT, { out: result });
        },
        inverse(x: Tensor): Tensor {
          checkInput(x, 'standardizer.inverse()');
          const out = mul(x, scaleT);
          return add(out, meanT, { out });
        },
        dispose() {
          meanT.dispose();
          stdT.dispose();
          scaleT.dispose();
        },
      };
    },
  };
}
