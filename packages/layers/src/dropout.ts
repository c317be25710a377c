// Inverted dropout (Srivastava et al. 2014, as taught in the course): in training each unit is
// kept with probability 1 − rate and scaled by 1/(1 − rate), so the expected activation is
// unchanged and inference is the identity. A fresh mask is drawn every forward pass from the
// layer's own fork of the model's dropout stream, so dropout never shifts the initial weights or
// the batch order.
import { createRng, mul, type Rng, type Tensor } from '@nnkit/tensor-wasm';
import { checkNumber, fail, layerName, shapeText } from './errors';
import { type BackwardOptions, type BuildContext, type ForwardOptions, Layer, type LayerConfig } from './layer';
import { RowBuffer } from './row-buffer';

/** Options of {@link dropout}. */
export interface DropoutOptions {
  /** Layer name (default dropout_1, …). */
  name?: string;
}

/** @deprecated since 0.2: renamed DropoutOptions, as every options type of nnkit. */
export type DropoutArgs = DropoutOptions;

/** Every key of {@link DropoutOptions}, for the unknown-option check. */
const DROPOUT_OPTION_KEYS = ['name'] as const satisfies readonly (keyof DropoutOptions)[];

/**
 * Inverted dropout; create it with {@link dropout}.
 * @example
 * const d = new Dropout(0.5); d.forward(x, { training: true }); // about half the units zeroed, the rest doubled
 */
export class Dropout extends Layer {
  readonly className = 'Dropout';
  /** Probability of dropping a unit. */
  readonly rate: number;
  #rng: Rng | null = null;
  #mask: RowBuffer | null = null;
  #y: RowBuffer | null = null;
  #dx: RowBuffer | null = null;
  #scratch: Float32Array | Float64Array = new Float32Array(0);
  #maskUsed: Tensor | null = null;
  #m = 0;

  constructor(rate: number, options: DropoutOptions = {}) {
    super(layerName(options, DROPOUT_OPTION_KEYS, 'dropout()'));
    // rate = 1 would drop everything and divide by zero.
    this.rate = checkNumber(rate, 'rate', 'dropout()', 0, 1);
    if (this.rate === 1) fail('INVALID_ARGUMENT', 'dropout(): rate must be below 1 (rate 1 drops every unit), got 1');
  }

  protected onBuild(n: number, ctx: BuildContext): number {
    this.#rng = ctx.dropout.fork();
    this.#mask = new RowBuffer([n], ctx.dtype);
    this.#y = new RowBuffer([n], ctx.dtype);
    this.#dx = new RowBuffer([n], ctx.dtype);
    return n;
  }

  forward(x: Tensor, opts: ForwardOptions = {}): Tensor {
    this.ensureBuilt(x);
    const m = x.shape[0];
    this.#m = m;
    if (!(opts.dropout ?? opts.training) || this.rate === 0) {
      this.#maskUsed = null;
      return x;
    }
    const size = x.size;
    if (this.#scratch.length < size) this.#scratch = this.dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
    const keep = 1 - this.rate;
    const scale = 1 / keep;
    // One 32-bit draw per unit: kept with probability 1 − rate (to 2^-32), scaled by 1/(1 − rate).
    const values = this.#scratch.length === size ? this.#scratch : this.#scratch.subarray(0, size);
    this.#rng!.fillBernoulli(values, keep, scale);
    const mask = this.#mask!.get(m);
    mask.assign(values);
    this.#maskUsed = mask;
    return mul(x, mask, { out: this.#y!.get(m) });
  }

  backward(dy: Tensor, opts: BackwardOptions = {}): Tensor | null {
    if (this.#m === 0) fail('NO_FORWARD', `${this.label}: backward() needs a forward() pass first`);
    if (dy.shape[0] !== this.#m || dy.shape[1] !== this.inputShape[0]) {
      fail('SHAPE_MISMATCH', `${this.label}: backward() got dy ${shapeText(dy.shape)}; expected [${this.#m}, ${this.inputShape[0]}]`);
    }
    if (opts.inputGrad === false) return null;
    if (!this.#maskUsed) return dy;
    return mul(dy, this.#maskUsed, { out: this.#dx!.get(this.#m) });
  }

  /** The state of this layer's mask stream (null before build), so a saved run resumes with the same masks. */
  rngState(): number[] | null {
    return this.#rng ? this.#rng.state() : null;
  }

  /** Continues the mask stream from a `rngState()` (four 32-bit words); the layer must be built. */
  setRngState(state: readonly number[]): void {
    if (!this.#rng) fail('NOT_BUILT', `${this.label}: setRngState() needs a built layer`);
    this.#rng = createRng(state);
  }

  override getConfig(): LayerConfig {
    return { name: this.name, rate: this.rate };
  }

  clone(): Dropout {
    return new Dropout(this.rate, { name: this.name });
  }

  override dispose(): void {
    for (const b of [this.#mask, this.#y, this.#dx]) b?.dispose();
    this.#maskUsed = null;
  }
}

/**
 * Inverted dropout: drops each unit with probability `rate` in training and scales the kept ones
 * by 1/(1 − rate); the identity at inference.
 *
 * @param rate - probability of dropping a unit, in [0, 1)
 * @param options - name
 * @returns the layer
 * @example
 * sequential([dense(256, { activation: 'relu' }), dropout(0.2), dense(10)], { inputShape: [784] });
 */
export function dropout(rate: number, options: DropoutOptions = {}): Dropout {
  return new Dropout(rate, options);
}
