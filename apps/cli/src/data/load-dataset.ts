// The data sets `nnkit train` and `nnkit tune` accept: --dataset moons|circles|spiral|mnist|csv:<path>.
import { circles, moons, oneHot, spiral } from '@nnkit/data';
import { mnist } from '@nnkit/data/mnist';
import { type Tensor, tensor } from '@nnkit/tensor-wasm';
import { CliError } from '../errors';
import { readCsv } from './csv';

/** The names accepted before `csv:<path>`. */
export const DATASET_NAMES = ['mnist', 'moons', 'circles', 'spiral'] as const;

/** Examples generated for the 2-D data sets: enough for a 80/10/10 split with 100-point dev and test sets. */
export const SYNTHETIC_EXAMPLES = 1000;

/** A labelled data set ready for splitting. */
export interface LoadedData {
  /** e.g. 'mnist' or 'csv:football.csv'. */
  name: string;
  /** Features [n, features]. */
  x: Tensor;
  /** Targets: [n, 1] of 0/1 for two classes (sigmoid output), one-hot [n, k] otherwise (softmax output). */
  y: Tensor;
  /** Class id of every example. */
  labels: Int32Array;
  classes: number;
  /** Names of the features (for plots). */
  features: string[];
  /** Present for image data: what augmentation needs to know. */
  image?: { height: number; width: number };
}

/**
 * Loads a data set by its command-line name.
 *
 * @param spec - `mnist`, `moons`, `circles`, `spiral` or `csv:<path>` (features, then an integer class)
 * @param seed - seed of the generated data sets
 * @returns the data
 * @example
 * const data = await loadDataset('moons', 1);
 */
export async function loadDataset(spec: string, seed: number): Promise<LoadedData> {
  const twoD = ['x1', 'x2'];
  switch (spec) {
    case 'mnist': {
      const d = await mnist();
      return { name: spec, x: d.x, y: d.y, labels: d.labels, classes: 10, features: [], image: { height: 28, width: 28 } };
    }
    case 'moons': {
      const d = moons({ n: SYNTHETIC_EXAMPLES, noise: 0.2, seed });
      return { name: spec, ...d, classes: 2, features: twoD };
    }
    case 'circles': {
      const d = circles({ n: SYNTHETIC_EXAMPLES, noise: 0.1, factor: 0.5, seed });
      return { name: spec, ...d, classes: 2, features: twoD };
    }
    case 'spiral': {
      const d = spiral({ n: SYNTHETIC_EXAMPLES, classes: 3, seed, oneHot: true });
      return { name: spec, ...d, classes: 3, features: twoD };
    }
  }
  if (spec.startsWith('csv:') && spec.length > 4) return loadCsvDataset(spec.slice(4));
  throw new CliError(`unknown dataset ${JSON.stringify(spec)}; expected one of ${DATASET_NAMES.join(', ')} or csv:<path>`);
}

/**
 * A CSV file as a data set: every column but the last is a feature, the last is the class (0, 1, …).
 * @param path - the file
 */
export async function loadCsvDataset(path: string): Promise<LoadedData> {
  const table = await readCsv(path);
  const cols = table.columns.length;
  const features = cols - 1;
  const x = new Float32Array(table.rows * features);
  const labels = new Int32Array(table.rows);
  for (let r = 0; r < table.rows; r++) {
    for (let c = 0; c < features; c++) x[r * features + c] = table.values[r * cols + c];
    const label = table.values[r * cols + features];
    if (!Number.isInteger(label) || label < 0) {
      throw new CliError(`${path}: data row ${r + 1}, column ${cols} (${table.columns[features]}) holds ${label}; expected an integer class 0, 1, …`);
    }
    labels[r] = label;
  }
  const classes = Math.max(...labels) + 1;
  if (classes < 2) throw new CliError(`${path}: every row has class ${labels[0]}; expected at least two classes in the last column`);
  const y = classes === 2 ? tensor(labels, [table.rows, 1]) : oneHot(labels, classes);
  return { name: `csv:${path}`, x: tensor(x, [table.rows, features]), y, labels, classes, features: table.columns.slice(0, features) };
}
