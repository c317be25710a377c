// Augmentation for `nnkit train` as fit's batch transform: fit gathers normalized rows, but shifts
// and rotations must move raw pixels (a shifted-in border is black, 0, before normalization, and
// per-feature statistics do not move with the pixels). So the transform gathers the same rows of
// the raw images, augments them and writes their normalization over the batch.
import type { BatchInfo, BatchTransform } from '@nnkit/data';
import { gatherRows, type Rng, type Tensor, unscoped, zeros } from '@nnkit/tensor-wasm';
import type { Normalizer } from '../data/normalize';

/** An augmentation of raw image batches (one of @nnkit/regularizers). */
export interface Augmentation {
  apply(x: Tensor, rng: Rng): void;
}

/** fit's `augment` for normalized training rows whose raw images are `raw`; dispose() frees its buffer. */
export class RawAugmentation implements BatchTransform {
  readonly #raw: Tensor;
  readonly #normalizer: Normalizer;
  readonly #augmentation: Augmentation;
  #full: Tensor | null = null;
  /** Row views of the buffer by batch size (the smaller last batch), made once. */
  readonly #views = new Map<number, Tensor>();

  constructor(raw: Tensor, normalizer: Normalizer, augmentation: Augmentation) {
    this.#raw = raw;
    this.#normalizer = normalizer;
    this.#augmentation = augmentation;
  }

  apply(x: Tensor, rng: Rng, batch?: BatchInfo): void {
    if (!batch?.indices) throw new Error('RawAugmentation needs the rows of each batch (fit on tensors)');
    const rows = this.#rows(x.shape[0]);
    gatherRows(this.#raw, batch.indices, { out: rows });
    this.#augmentation.apply(rows, rng);
    this.#normalizer.apply(rows, x);
  }

  #rows(n: number): Tensor {
    this.#full ??= unscoped(() => zeros([n, this.#raw.shape[1]], this.#raw.dtype));
    const full = this.#full;
    if (n === full.shape[0]) return full;
    let view = this.#views.get(n);
    if (!view) {
      view = unscoped(() => full.rows(0, n));
      this.#views.set(n, view);
    }
    return view;
  }

  dispose(): void {
    for (const v of this.#views.values()) v.dispose();
    this.#full?.dispose();
  }
}
