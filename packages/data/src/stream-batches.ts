// Mini-batches over data that does not fit in one tensor: chunks arrive from an async source (files,
// a database, a generator) and are re-cut into batches, shuffled within a bounded buffer.
import { checkOptionKeys, createRng, describeValue, keep, NnkitError, type Tensor, Tensor as TensorClass, zeros } from '@nnkit/tensor-wasm';
import type { BatchOptions, BatchTransform } from './batches';
import { checkFeatures, checkInteger, checkSeed } from './check';
import { labelCount } from './labels';

/** One chunk of examples from a source: features and their labels. */
export interface StreamChunk {
  /** Features `[rows, …]`; the row shape must be the same in every chunk. */
  x: Tensor;
  /** Labels: a Tensor with as many rows, or an array of class ids. */
  y: Tensor | ArrayLike<number>;
}

/** Options of {@link streamBatches}. */
export interface StreamBatchOptions {
  /** Examples per batch (the last one may be smaller). */
  batchSize: number;
  /**
   * Examples held back for shuffling (default 0: keep the source's order). Each batch draws its
   * examples at random from this buffer, as tf.data's shuffle does; a buffer as large as the data
   * gives a full shuffle, smaller ones a local one.
   */
  shuffleBuffer?: number;
  /** Seed of the shuffle (default 0). */
  seed?: number;
  /** Yield new tensors the caller owns instead of reused buffers (default false). */
  copy?: boolean;
  /** Transforms applied to every batch's x (see {@link BatchOptions.augment}), from their own stream. */
  augment?: BatchTransform;
}

/** Every key of {@link StreamBatchOptions}, for the unknown-option check. */
const STREAM_BATCH_OPTION_KEYS = ['batchSize', 'shuffleBuffer', 'seed', 'copy', 'augment'] as const satisfies readonly (keyof StreamBatchOptions)[];

/** One batch from a stream. */
export interface StreamBatch {
  x: Tensor;
  /** A Tensor when the chunks' y were Tensors, otherwise an Int32Array of class ids. */
  y: Tensor | Int32Array;
  /** Position of the batch in the stream. */
  index: number;
}

interface Row {
  x: Float32Array | Float64Array;
  y: Float32Array | Float64Array | number;
}

/**
 * Re-cuts a stream of chunks into mini-batches of `batchSize`, optionally shuffled within a buffer.
 * Each chunk is read (copied) as soon as it arrives, so the source may reuse or dispose it after
 * the next one is requested. As with {@link batches}, a yielded batch lives in buffers reused by the
 * next batch unless `copy` is set; the buffers are freed when the stream ends or the loop breaks.
 *
 * @param source - an async (or sync) iterable of `{ x, y }` chunks; call it again for each epoch
 * @param opts - batchSize, shuffleBuffer, seed, copy
 * @returns an async iterable of `{ x, y, index }`
 * @example
 * async function* chunks() { for (const file of files) yield await loadChunk(file); }
 * // fit of @nnkit/layers reads one fresh stream per epoch
 * await model.fit(() => streamBatches(chunks(), { batchSize: 64, shuffleBuffer: 10_000, seed: 1 }), { epochs: 5 });
 */
export async function* streamBatches(
  source: AsyncIterable<StreamChunk> | Iterable<StreamChunk>,
  opts: StreamBatchOptions,
): AsyncGenerator<StreamBatch> {
  const where = 'streamBatches()';
  if (source === null || typeof source !== 'object' || !(Symbol.asyncIterator in source || Symbol.iterator in source)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: source must be an async iterable of { x, y } chunks, got ${describeValue(source)}`);
  }
  if (opts === null || typeof opts !== 'object') throw new NnkitError('INVALID_ARGUMENT', `${where}: expected options { batchSize, … }`);
  checkOptionKeys(opts, STREAM_BATCH_OPTION_KEYS, where);
  const batchSize = checkInteger(opts.batchSize, 'batchSize', where);
  const shuffleBuffer = checkInteger(opts.shuffleBuffer ?? 0, 'shuffleBuffer', where, 0);
  const root = createRng(checkSeed(opts.seed ?? 0, where));
  const rng = root.fork();
  const augmentRng = root.fork();
  const copy = opts.copy ?? false;
  const augment = opts.augment;
  if (augment !== undefined && (augment === null || typeof augment.apply !== 'function')) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: augment must have apply(x, rng), got ${describeValue(augment)}`);
  }

  let rowShape: readonly number[] | null = null;
  let yShape: readonly number[] | null = null; // null: class ids
  let dtype: Tensor['dtype'] = 'float32';
  let yDtype: Tensor['dtype'] = 'float32';
  let xBuffer: Tensor | null = null;
  let yBuffer: Tensor | null = null;
  let pool: Row[] = [];
  let head = 0; // pool[head..] are waiting (first-in first-out when not shuffling)
  let index = 0;

  const take = (): Row => {
    if (shuffleBuffer === 0) return pool[head++];
    const j = head + rng.int(pool.length - head);
    const row = pool[j];
    pool[j] = pool[pool.length - 1];
    pool.pop();
    return row;
  };

  const emit = (n: number): StreamBatch => {
    const rows = Array.from({ length: n }, take);
    if (head > 4096 && head * 2 > pool.length) {
      pool = pool.slice(head);
      head = 0;
    }
    const rowSize = rows[0].x.length;
    const xv = new (dtype === 'float32' ? Float32Array : Float64Array)(n * rowSize);
    for (let i = 0; i < n; i++) xv.set(rows[i].x, i * rowSize);
    const xShape = [n, ...rowShape!];
    let bx: Tensor;
    if (copy) bx = zeros(xShape, dtype).assign(xv);
    else {
      xBuffer ??= keep(zeros([batchSize, ...rowShape!], dtype));
      bx = (n === batchSize ? xBuffer : xBuffer.rows(0, n)).assign(xv);
    }
    augment?.apply(bx, augmentRng, { index });
    let by: Tensor | Int32Array;
    if (yShape === null) by = Int32Array.from(rows, (r) => r.y as number);
    else {
      const ySize = (rows[0].y as Float32Array).length;
      const yv = new (yDtype === 'float32' ? Float32Array : Float64Array)(n * ySize);
      for (let i = 0; i < n; i++) yv.set(rows[i].y as Float32Array, i * ySize);
      if (copy) by = zeros([n, ...yShape], yDtype).assign(yv);
      else {
        yBuffer ??= keep(zeros([batchSize, ...yShape], yDtype));
        by = (n === batchSize ? yBuffer : yBuffer.rows(0, n)).assign(yv);
      }
    }
    return { x: bx, y: by, index: index++ };
  };

  try {
    let chunkNo = 0;
    for await (const chunk of source as AsyncIterable<StreamChunk>) {
      const at = `${where}: chunk ${chunkNo}`;
      if (chunk === null || typeof chunk !== 'object') throw new NnkitError('INVALID_ARGUMENT', `${at} is ${describeValue(chunk)}; expected { x, y }`);
      const x = checkFeatures(chunk.x, 'x', at);
      const m = x.shape[0];
      const ym = labelCount(chunk.y, at);
      if (ym !== m) throw new NnkitError('SHAPE_MISMATCH', `${at}: x has ${m} examples but y has ${ym}; expected the same number`);
      const yIsTensor = chunk.y instanceof TensorClass;
      const thisYShape = yIsTensor ? (chunk.y as Tensor).shape.slice(1) : null;
      if (rowShape === null) {
        rowShape = x.shape.slice(1);
        yShape = thisYShape;
        dtype = x.dtype;
        if (yIsTensor) yDtype = (chunk.y as Tensor).dtype;
      } else {
        const same = (a: readonly number[] | null, b: readonly number[] | null) =>
          a === b || (a !== null && b !== null && a.length === b.length && a.every((d, i) => d === b[i]));
        if (!same(rowShape, x.shape.slice(1)) || x.dtype !== dtype || !same(yShape, thisYShape)) {
          throw new NnkitError(
            'SHAPE_MISMATCH',
            `${at}: rows [${x.shape.slice(1).join(', ')}] ${x.dtype} with labels ${thisYShape ? `[${thisYShape.join(', ')}]` : 'ids'} differ from the first chunk's [${rowShape.join(', ')}] ${dtype} with ${yShape ? `[${yShape.join(', ')}]` : 'ids'}`,
          );
        }
      }
      const xv = x.toArray();
      const rowSize = m === 0 ? 0 : x.size / m;
      const yv = yIsTensor ? (chunk.y as Tensor).toArray() : null;
      const ySize = yIsTensor && m > 0 ? (chunk.y as Tensor).size / m : 0;
      for (let r = 0; r < m; r++) {
        let label: Row['y'];
        if (yv) label = yv.subarray(r * ySize, (r + 1) * ySize);
        else {
          label = (chunk.y as ArrayLike<number>)[r];
          if (!Number.isInteger(label) || label < 0) {
            throw new NnkitError('LABEL_OUT_OF_RANGE', `${at}: label ${label} at row ${r} is not a class id; expected an integer ≥ 0`);
          }
        }
        pool.push({ x: xv.subarray(r * rowSize, (r + 1) * rowSize), y: label });
      }
      chunkNo++;
      while (pool.length - head >= Math.max(batchSize, shuffleBuffer + 1)) yield emit(batchSize);
    }
    while (pool.length - head > 0) yield emit(Math.min(batchSize, pool.length - head));
  } finally {
    (xBuffer as Tensor | null)?.dispose();
    (yBuffer as Tensor | null)?.dispose();
  }
}
