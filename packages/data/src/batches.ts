// Mini-batches: shuffle, then partition, with a smaller last batch and a fresh permutation each
// epoch. Batches are gathered into two tensors allocated at the first batch and reused by every
// batch of every epoch (the smaller last batch is a cached row view), so an epoch after the first
// allocates nothing; this is also how @nnkit/layers' fit batches its data.
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
  /**
   * A generator to draw from instead of a seed: each epoch forks its shuffling stream and then its
   * augmentation stream from it, so saving `rng.state()` between epochs and resuming from it gives
   * the same batches as an uninterrupted run (this is how fit uses a model's shuffling stream).
   */
  rng?: Rng;
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
const BATCH_OPTION_KEYS = ['batchSize', 'shuffle', 'seed', 'rng', 'copy', 'dropRemainder', 'augment'] as const satisfies readonly (keyof BatchOptions)[];

/**
 * Anything with `apply(x, rng)` that changes a batch in place, such as @nnkit/regularizers'
 * augmentations. `batch` tells which examples x holds (`indices`, absent for streamed batches),
 * for transforms that rebuild the batch from another copy of the data.
 */
export interface BatchTransform {
  apply(x: Tensor, rng: Rng, batch?: BatchInfo): void;
}

/** Where a batch comes from, as a {@link BatchTransform} is told. */
export interface BatchInfo {
  /** Position of the batch in its epoch (0, 1, …). */
  index: number;
  /** Which examples of x it holds (batches from tensors only). */
  indices?: Int32Array;
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

/**
 * An iterable of mini-batches: every `for … of` over it is one epoch with its own permutation.
 * Its two buffers live until `dispose()` (or the end of a `using` block).
 */
export interface Batches<Y extends Labels = Labels> extends Iterable<Batch<Y>> {
  /** Batches per epoch. */
  readonly length: number;
  /** Epochs begun so far (iterations started). */
  readonly epoch: number;
  /** Frees the batch buffers (a later epoch allocates them again). */
  dispose(): void;
  [Symbol.dispose](): void;
}

/** `Symbol.dispose` where the platform has it (Node ≥ 20.4, current browsers). */
const disposeSymbol: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('Symbol.dispose');

/**
 * Mini-batches of (x, y) for one epoch per iteration. By default the yielded tensors are two
 * buffers reused by every batch of every epoch: a batch is valid until the next one is requested
 * (pass `{ copy: true }` to keep batches). The buffers hold copies of the rows, so changing a batch
 * in place (augmentation) never changes x. They are allocated at the first batch and freed by
 * `dispose()`.
 *
 * @param x - features `[m, …]`
 * @param y - labels with m entries: a Tensor `[m, …]`, or an array of class ids
 * @param opts - batchSize, shuffle, seed or rng, copy, dropRemainder, augment
 * @returns an iterable of `{ x, y, index, indices }`, one epoch per `for … of`
 * @example
 * using data = batches(xTrain, yTrain, { batchSize: 64, seed: 1 });
 * for (let epoch = 0; epoch < 2; epoch++) {
 *   for (const { x, y, index } of data) console.log(epoch, index, x.shape, y.shape);
 * }
 * await model.fit(data, { epochs: 10 }); // or model.fit(xTrain, yTrain, { batchSize: 64, seed: 1 })
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
  const streams = epochStreams(opts, where);
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
  const size = Math.min(batchSize, m);
  const last = m - full * batchSize; // rows of the smaller last batch (0: none)
  const xRows = copy ? null : new BatchBuffer([size, ...x.shape.slice(1)], x.dtype, last);
  const yRows = copy || !yTensor ? null : new BatchBuffer([size, ...yTensor.shape.slice(1)], yTensor.dtype, last);
  // Class ids of a batch, reused like the tensors (a copy when `copy` is set).
  const idRows = copy || !ids ? null : new Int32Array(size);
  const idLast = idRows && last > 0 ? idRows.subarray(0, last) : null;
  let epoch = 0;

  function* epochBatches(rng: Rng | null, augmentRng: Rng): Generator<Batch<Y>> {
    const order = rng ? permutation(m, rng) : Int32Array.from({ length: m }, (_, i) => i);
    for (let b = 0; b < length; b++) {
      const indices = order.subarray(b * batchSize, Math.min(m, (b + 1) * batchSize));
      const n = indices.length;
      const bx = xRows ? gatherRows(x, indices, { out: xRows.get(n) }) : gatherRows(x, indices);
      const by = yTensor ? (yRows ? gatherRows(yTensor, indices, { out: yRows.get(n) }) : gatherRows(yTensor, indices)) : null;
      let labels: Tensor | Int32Array;
      if (by) labels = by;
      else {
        const out = idRows ? (n === size ? idRows : idLast!) : new Int32Array(n);
        for (let r = 0; r < n; r++) out[r] = ids![indices[r]];
        labels = out;
      }
      const batch: Batch<Y> = { x: bx, y: labels as Batch<Y>['y'], index: b, indices };
      augment?.apply(bx, augmentRng, batch);
      yield batch;
    }
  }

  const dispose = (): void => {
    xRows?.dispose();
    yRows?.dispose();
  };
  return {
    get length() {
      return length;
    },
    get epoch() {
      return epoch;
    },
    [Symbol.iterator]() {
      // Fresh streams per epoch: epoch e's order depends only on the seed (or rng state) and e.
      const { shuffleRng, augmentRng } = streams();
      epoch++;
      return epochBatches(shuffle ? shuffleRng : null, augmentRng);
    },
    dispose,
    [disposeSymbol]: dispose,
  } as unknown as Batches<Y>;
}

/**
 * Each epoch's shuffling and augmentation streams. From a seed: one fork per purpose of the
 * seed's generator, each forked again per epoch. From a generator: two forks of it per epoch (the
 * augmentation one drawn even without augmentation, so turning it on keeps the batch order).
 */
function epochStreams(opts: BatchOptions, where: string): () => { shuffleRng: Rng; augmentRng: Rng } {
  if (opts.rng !== undefined) {
    if (opts.seed !== undefined) throw new NnkitError('INVALID_ARGUMENT', `${where}: give seed or rng, not both (seed ${describeValue(opts.seed)})`);
    const rng = opts.rng;
    if (rng === null || typeof rng !== 'object' || typeof rng.fork !== 'function') {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: rng must be a generator from createRng(), got ${describeValue(rng)}`);
    }
    return () => ({ shuffleRng: rng.fork(), augmentRng: rng.fork() });
  }
  const root = createRng(checkSeed(opts.seed ?? 0, where));
  const seeds = root.fork();
  const augmentSeeds = root.fork();
  return () => ({ shuffleRng: seeds.fork(), augmentRng: augmentSeeds.fork() });
}

/** A batch tensor allocated at first use, with a cached row view for the smaller last batch. */
class BatchBuffer {
  readonly #shape: number[];
  readonly #dtype: Tensor['dtype'];
  readonly #lastRows: number;
  #full: Tensor | null = null;
  #last: Tensor | null = null;

  constructor(shape: number[], dtype: Tensor['dtype'], lastRows: number) {
    this.#shape = shape;
    this.#dtype = dtype;
    this.#lastRows = lastRows;
  }

  /** The buffer for a batch of `rows` rows (the full size, or the last batch's). */
  get(rows: number): Tensor {
    this.#full ??= keep(zeros(this.#shape, this.#dtype));
    if (rows === this.#shape[0]) return this.#full;
    this.#last ??= keep(this.#full.rows(0, this.#lastRows));
    return this.#last;
  }

  dispose(): void {
    this.#last?.dispose();
    this.#full?.dispose();
    this.#last = null;
    this.#full = null;
  }
}
