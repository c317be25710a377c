// An activation as a layer of its own, for the places where it cannot be fused into a dense
// layer, e.g. after batch norm: dense → batchNorm → activation('relu').
import type { Tensor } from '@nnkit/tensor-wasm';
import { type ActivationName, activationForward, activationGrad, checkActivation, DEFAULT_LEAKY_ALPHA } from './activations';
import { checkNumber, fail, layerName, shapeText } from './errors';
import { type BackwardOptions, type BuildContext, type ForwardOptions, Layer, type LayerConfig } from './layer';
import { RowBuffer } from './row-buffer';

/** Options of {@link activation}. */
export interface ActivationOptions {
  /** Negative slope for 'leakyRelu' (default 0.01). */
  alpha?: number;
  /** Layer name (default activation_1, …). */
  name?: string;
}

/** @deprecated since 0.2: renamed ActivationOptions, as every options type of nnkit. */
export type ActivationArgs = ActivationOptions;

/** Every key of {@link ActivationOptions}, for the unknown-option check. */
const ACTIVATION_OPTION_KEYS = ['alpha', 'name'] as const satisfies readonly (keyof ActivationOptions)[];

/**
 * An elementwise (or, for softmax, row-wise) activation; create it with {@link activation}.
 * @example
 * const a = new Activation('leakyRelu', { alpha: 0.2 });
 */
export class Activation extends Layer {
  readonly className = 'Activation';
  readonly activation: ActivationName;
  readonly alpha: number;
  #y: RowBuffer | null = null;
  #dx: RowBuffer | null = null;
  #rowSum: RowBuffer | null = null;
  #out: Tensor | null = null;

  constructor(name: ActivationName, options: ActivationOptions = {}) {
    super(layerName(options, ACTIVATION_OPTION_KEYS, 'activation()'));
    this.activation = checkActivation(name, 'activation()');
    this.alpha = checkNumber(options.alpha ?? DEFAULT_LEAKY_ALPHA, 'alpha', 'activation()', 0, Number.MAX_VALUE);
  }

  protected onBuild(n: number, ctx: BuildContext): number {
    this.#y = new RowBuffer([n], ctx.dtype);
    this.#dx = new RowBuffer([n], ctx.dtype);
    if (this.activation === 'softmax') this.#rowSum = new RowBuffer([1], ctx.dtype);
    return n;
  }

  forward(x: Tensor, _opts: ForwardOptions = {}): Tensor {
    this.ensureBuilt(x);
    const out = this.activation === 'linear' ? x : activationForward(this.activation, x, this.#y!.get(x.shape[0]), this.alpha);
    this.#out = out;
    return out;
  }

  backward(dy: Tensor, opts: BackwardOptions = {}): Tensor | null {
    const y = this.#out;
    if (!y) fail('NO_FORWARD', `${this.label}: backward() needs a forward() pass first`);
    if (dy.shape.join() !== y.shape.join()) {
      fail('SHAPE_MISMATCH', `${this.label}: backward() got dy ${shapeText(dy.shape)}; expected ${shapeText(y.shape)}`);
    }
    if (opts.inputGrad === false) return null;
    if (this.activation === 'linear') return dy;
    const m = y.shape[0];
    return activationGrad(this.activation, dy, y, this.#dx!.get(m), this.alpha, this.#rowSum?.get(m) ?? null);
  }

  override getConfig(): LayerConfig {
    return { name: this.name, activation: this.activation, alpha: this.alpha };
  }

  clone(): Activation {
    return new Activation(this.activation, { alpha: this.alpha, name: this.name });
  }

  override dispose(): void {
    for (const b of [this.#y, this.#dx, this.#rowSum]) b?.dispose();
    this.#out = null;
  }
}

/**
 * An activation layer: 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid' | 'softmax' | 'linear'.
 *
 * @param name - the activation
 * @param options - alpha (leakyRelu), layer name
 * @returns the layer
 * @example
 * sequential([dense(64, { useBias: false }), batchNorm(), activation('relu'), dense(10)], { inputShape: [20] });
 */
export function activation(name: ActivationName, options: ActivationOptions = {}): Activation {
  return new Activation(name, options);
}
