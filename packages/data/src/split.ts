// Train/dev/test splits of any ratio, seeded, optionally stratified by class.
import { checkOptionKeys, createRng, gatherRows, NnkitError, type Tensor } from '@nnkit/tensor-wasm';
import { checkFeatures, checkFinite, checkSeed } from './check';
import { classIds, type Labels, labelCount, pickLabels } from './labels';
import { permutation, shuffleInPlace } from './permutation';
import { type Part, partSizes, type SplitSizes, stratifiedCounts } from './split-sizes';

/** Options of {@link split}. */
export interface SplitOptions extends SplitSizes {
  /** Keep each class's proportion in every part (needs class ids or one-hot labels). Default false. */
  stratify?: boolean;
  /** Seed of the shuffle (default 0: the same split every time until you change it). */
  seed?: number;
}

/** Every key of {@link SplitOptions}, for the unknown-option check. */
const SPLIT_OPTION_KEYS = ['train', 'dev', 'test', 'stratify', 'seed'] as const satisfies readonly (keyof SplitOptions)[];

/** Examples of one part; `y` has the form the labels were given in. */
export interface SplitPart<Y extends Labels = Labels> {
  x: Tensor;
  y: Y;
  /** Positions of these examples in the original data. */
  indices: Int32Array;
}

/** The parts of a split; `test` exists only when a test size was given. */
export interface Split<Y extends Labels = Labels> {
  train: SplitPart<Y>;
  dev: SplitPart<Y>;
  test?: SplitPart<Y>;
}

/**
 * Splits examples into disjoint train, dev and (optionally) test sets that together hold every
 * example once. Sizes are fractions summing to 1 (`{ train: 0.98, dev: 0.01, test: 0.01 }`) or
 * counts summing to the number of examples; omit `train` to give it the rest. Examples are shuffled
 * with a seeded generator; with `stratify`, each class keeps its proportion in every part.
 *
 * @param x - features `[m, …]`, one example per row
 * @param y - labels: class ids (an array, or a Tensor `[m]` / `[m, 1]`), one-hot rows `[m, k]`, or
 *   any Tensor with m rows (regression targets) when not stratifying
 * @param opts - train, dev, test, stratify, seed
 * @returns `{ train, dev, test? }`, each `{ x, y, indices }` with new tensors (dispose them)
 * @example
 * const { train, dev, test } = split(x, y, { train: 0.6, dev: 0.2, test: 0.2, stratify: true, seed: 1 });
 * const big = split(x, y, { dev: 10_000, test: 10_000, seed: 1 });   // train gets the rest
 */
export function split<Y extends Labels>(x: Tensor, y: Y, opts: SplitOptions): Split<Y> {
  const where = 'split()';
  checkOptionKeys(opts, SPLIT_OPTION_KEYS, where);
  checkFeatures(x, 'x', where);
  const m = x.shape[0];
  const ym = labelCount(y, where);
  if (ym !== m) {
    throw new NnkitError('SHAPE_MISMATCH', `${where}: x has ${m} examples but y has ${ym}; expected the same number`);
  }
  if (opts === null || typeof opts !== 'object') {
    throw new NnkitError('INVALID_SPLIT', `${where}: expected options { train, dev, test, stratify, seed }, got ${String(opts)}`);
  }
  const seed = checkSeed(opts.seed ?? 0, where);
  const sizes = partSizes(opts, m, where);
  checkFinite(x, 'x', where);
  const rng = createRng(seed);
  const parts: Part[] = sizes.test > 0 ? ['train', 'dev', 'test'] : ['train', 'dev'];
  const indices = {} as Record<Part, Int32Array>;

  if (opts.stratify) {
    const ids = classIds(y, where);
    let classes = 0;
    for (let i = 0; i < ids.length; i++) classes = Math.max(classes, ids[i] + 1);
    const byClass: number[][] = Array.from({ length: classes }, () => []);
    ids.forEach((c, i) => {
      byClass[c].push(i);
    });
    const counts = stratifiedCounts(
      byClass.map((members) => members.length),
      sizes,
      where,
    );
    const filled = { train: 0, dev: 0, test: 0 };
    for (const part of parts) indices[part] = new Int32Array(sizes[part]);
    byClass.forEach((members, c) => {
      shuffleInPlace(members, rng);
      let at = 0;
      for (const part of parts) {
        for (let j = 0; j < counts[c][part]; j++) indices[part][filled[part]++] = members[at++];
      }
    });
    // Mix the classes inside each part, so the rows are not grouped by class.
    for (const part of parts) shuffleInPlace(indices[part], rng);
  } else {
    const order = permutation(m, rng);
    let at = 0;
    for (const part of parts) {
      indices[part] = order.slice(at, at + sizes[part]);
      at += sizes[part];
    }
  }

  const result = {} as Split<Y>;
  for (const part of parts) {
    result[part] = {
      x: gatherRows(x, indices[part]),
      y: pickLabels(y, indices[part], (t, i) => gatherRows(t, i)) as Y,
      indices: indices[part],
    };
  }
  return result;
}
