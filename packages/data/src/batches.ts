// Mini-batches: shuffle, then partition, with a smaller last batch and a fresh permutation each
// epoch. Batches are gathered into two preallocated tensors that every batch reuses.
import { checkOptionKeys, createRng, describeValue, gatherRows, keep, NnkitError, type Rng, type Tensor, Tensor as TensorClass, zeros } from '@nnkit/tensor-wasm';
import { checkFeatures, checkInteger, checkSeed } from './check';
import { type Labels, labelCount } from './labels';
import { permutation } from './permutation';

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Examples per batch (the last one may be smaller); m gives batch gradient descent, 1 gives SGD. */
  batchSize: number;
  /** Shuffle before partitioning, with a new permutation every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffles (default 0). */
  seed?: number;
  /** Yield new tensors the caller owns (and disposes) instead of reused buffers (default false). */
  copy?: boolean;
  /** Leave out the last batch when it is smaller than batchSize (default false). */
  dropRemainder?: boolean;
  /**
   * Transforms applied to every batch's x after gathering (e.g. `augment([...])` from
   * @nnkit/regularizers), drawing from their own seeded stream: turning augmentation on does not
   * change the batch order. Only the batch copy changes, never x. Use it for training batches only.
   */
  augment?: BatchTransform;
}

/** Every key of {@link BatchOptions}, for the unknown-option check. */
const BATCH_OPTION_KEYS = ['batchSize', 'shuffle', 'seed', 'copy', 'dropRemainder', 'augment'] as const satisfies readonly (keyof BatchOptions)[];

/** Anything with `apply(x, rng)` that changes a batch in place, such as @nnkit/regularizers' augmentations. */
export interface BatchTransform {
  apply(x: Tensor, rng: Rng): void;
}

/** One mini-batch. */
export interface Batch<Y extends Labels = Labels> {
  /** Features of the batch's examples. */
  x: Tensor;
  /** Their labels: a Tensor when y was one, otherwise an Int32Array / array of the same values. */
  y: Y extends Tensor ? Tensor : Int32Array;
  /** Position of the batch in its epoch (0, 1, …). */
  index: number;
  /** Which examples of x it holds. */
  indices: Int32Array;
}

/** An iterable of mini-batches: every `for … of` over it is one epoch with its own permutation. */
export interface Batches<Y extends Labels = Labels> extends Iterable<Batch<Y>> {
  /** Batches per epoch. */
  readonly length: number;
  /** Epochs begun so far (iterations started). */
  readonly epoch: number;
}

/**
 * Mini-batches of (x, y) for one epoch per iteration. By default the yielded tensors are buffers
 * reused from batch to batch: a batch is valid until the next one is requested (pass
 * `{ copy: true }` to keep batches). The buffers hold copies of the rows, so changing a batch in
 * place (augmentation) never changes x. They are freed when the epoch ends or the loop breaks.
 *
 * @param x - features `[m, …]`
 * @param y - labels with m entries: a Tensor `[m, …]`, or an array of class ids
 * @param opts - batchSize, shuffle, seed, copy, dropRemainder
 * @returns an iterable of `{ x, y, index, indices }`
 * @example
 * const data = batches(xTrain, yTrain, { batchSize: 64, seed: 1 });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const { x, y } of data) model.trainStep(x, y);
 * }
 */
export function batches<Y extends Labels>(x: Tensor, y: Y, opts: BatchOptions): Batches<Y> {
  const where = 'batches()';
  checkFeatures(x, 'x', where);
  const m = x.shape[0];
  const ym = labelCount(y, where);
  if (ym !== m) throw new NnkitError('SHAPE_MISMATCH', `${where}: x has ${m} examples but y has ${ym}; expected the same number`);
  if (opts === null || typeof opts !== 'object') throw new NnkitError('INVALID_ARGUMENT', `${where}: expected options { batchSize, … }`);
  checkOptionKeys(opts, BATCH_OPTION_KEYS, where);
  const batchSize = checkInteger(opts.batchSize, 'batchSize', where);
  const { shuffle = true, copy = false, dropRemainder = false, augment } = opts;
  if (augment !== undefined && (augment === null || typeof augment.apply !== 'function')) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: augment must have apply(x, rng), got ${describeValue(augment)}`);
  }
  // Separate streams per purpose, so that adding augmentation leaves the shuffles unchanged.
  const root = createRng(checkSeed(opts.seed ?? 0, where));
  const seeds = root.fork();
  const augmentSeeds = root.fork();
  const yTensor = y instanceof TensorClass ? y : null;
  let ids: Int32Array | null = null;
  if (!yTensor) {
    ids = Int32Array.from(y as ArrayLike<number>);
    const bad = Array.from(y as ArrayLike<number>).findIndex((v, i) => v !== ids![i]);
    if (bad >= 0) {
      throw new NnkitError('LABEL_OUT_OF_RANGE', `${where}: label ${(y as ArrayLike<number>)[bad]} at index ${bad} is not a class id; give a Tensor for non-integer targets`);
    }
  }
  const full = Math.floor(m / batchSize);
  const length = dropRemainder || m % batchSize === 0 ? full : full + 1;
  let epoch = 0;

  function* epochBatches(rng: Rng | null, augmentRng: Rng): Generator<Batch<Y>> {
    const order = rng ? permutation(m, rng) : Int32Array.from({ length: m }, (_, i) => i);
    const size = Math.min(batchSize, m);
    const xBuffer = copy ? null : keep(zeros([size, ...x.shape.slice(1)], x.dtype));
    const yBuffer = copy || !yTensor ? null : keep(zeros([size, ...yTensor.shape.slice(1)], yTensor.dtype));
    try {
      for (let b = 0; b < length; b++) {
        const indices = order.subarray(b * batchSize, Math.min(m, (b + 1) * batchSize));
        const n = indices.length;
        const fill = (source: Tensor, buffer: Tensor | null): Tensor => {
          if (!buffer) return gatherRows(source, indices);
          const target = n === size ? buffer : buffer.rows(0, n);
          return gatherRows(source, indices, { out: target });
        };
        const bx = fill(x, xBuffer);
        augment?.apply(bx, augmentRng);
        const by = yTensor ? fill(yTensor, yBuffer) : null;
        const labels = by ?? Int32Array.from(indices, (i) => ids![i]);
        yield { x: bx, y: labels as Batch<Y>['y'], index: b, indices };
        // The smaller last batch is a view of the buffers; views own no memory, this only retires them.
        if (!copy && n !== size) {
          bx.dispose();
          by?.dispose();
        }
      }
    } finally {
      xBuffer?.dispose();
      yBuffer?.dispose();
    }
  }

  return {
    get length() {
      return length;
    },
    get epoch() {
      return epoch;
    },
    [Symbol.iterator]() {
      // One fork per epoch: epoch e's order depends only on the seed and e.
      const rng = shuffle ? seeds.fork() : null;
      epoch++;
      return epochBatches(rng, augmentSeeds.fork());
    },
  };
}
