// A tensor whose first dimension is the batch size, allocated once for the largest batch seen and
// handed out as cached row views for smaller ones. This is how a training step after the first one
// allocates nothing: a full batch gets the buffer, the smaller last batch gets the same view every
// epoch (see ARCHITECTURE.md, "One training step, as file:function hops").
import { type DType, type Tensor, unscoped, zeros } from '@nnkit/tensor-wasm';

/** A per-batch-size buffer of shape [rows, ...cols]. */
export class RowBuffer {
  readonly #cols: readonly number[];
  readonly #dtype: DType;
  #root: Tensor | null = null;
  readonly #views = new Map<number, Tensor>();

  constructor(cols: readonly number[], dtype: DType) {
    this.#cols = cols;
    this.#dtype = dtype;
  }

  /** The buffer for `rows` rows; contents are whatever was written last. */
  get(rows: number): Tensor {
    const root = this.#root;
    if (root && rows === root.shape[0]) return root;
    if (root && rows < root.shape[0]) {
      let view = this.#views.get(rows);
      if (!view) {
        view = unscoped(() => root.rows(0, rows)); // cached: must outlive the caller's scope()
        this.#views.set(rows, view);
      }
      return view;
    }
    // Growing: the old block and its views go; the larger block serves every size from now on.
    this.dispose();
    this.#root = unscoped(() => zeros([rows, ...this.#cols], this.#dtype));
    return this.#root;
  }

  /** Frees the memory. */
  dispose(): void {
    for (const v of this.#views.values()) v.dispose();
    this.#views.clear();
    this.#root?.dispose();
    this.#root = null;
  }
}
