// The fully connected layer: y = act(x·W + b), with the activation fused into the kernel's output
// pass, and the backward pass as two GEMMs whose transposes the kernel resolves (dW = xᵀ·dz,
// dx = dz·Wᵀ) plus one fused pass for dz and db.
import { denseForward, describeValue, matmul, softmax, type Tensor, zeros } from '@nnkit/tensor-wasm';
import { type ActivationName, activationGrad, checkActivation, DEFAULT_LEAKY_ALPHA } from './activations';
import { checkNumber, checkPositiveInt, fail, layerName, shapeText } from './errors';
import { checkInitializer, type Initializer, initialize } from './initializers';
import { type BackwardOptions, type BuildContext, type ForwardOptions, Layer, type LayerConfig } from './layer';
import { RowBuffer } from './row-buffer';
import type { Param, Regularizer } from './types';

/** Options of {@link dense}. */
export interface DenseOptions {
  /** Activation applied to x·W + b; default 'linear' (logits). */
  activation?: ActivationName;
  /** Negative slope for 'leakyRelu' (default 0.01). */
  alpha?: number;
  /** Kernel initializer (default 'glorotUniform', as in Keras); biases always start at 0. */
  init?: Initializer;
  /** Whether the layer has a bias (default true); batch norm after the layer makes it redundant. */
  useBias?: boolean;
  /** Penalty on the kernel, added to the cost and to the kernel's gradient, e.g. `l2(0.7)`. */
  regularizer?: Regularizer;
  /** Layer name (default dense_1, dense_2, … within the model). */
  name?: string;
}

/** @deprecated since 0.2: renamed DenseOptions, as every options type of nnkit. */
export type DenseArgs = DenseOptions;

/** Every key of {@link DenseOptions}, for the unknown-option check. */
const DENSE_OPTION_KEYS = ['activation', 'alpha', 'init', 'useBias', 'regularizer', 'name'] as const satisfies readonly (keyof DenseOptions)[];

const DEFAULT_INIT: Initializer = 'glorotUniform';

/**
 * A fully connected layer; create it with {@link dense}.
 * @example
 * const layer = new Dense(64, { activation: 'relu', init: 'he' }); // same as dense(64, …)
 */
export class Dense extends Layer {
  readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationName;
  readonly alpha: number;
  readonly init: Initializer;
  readonly useBias: boolean;
  readonly regularizer: Regularizer | undefined;
  #kernel: Tensor | null = null;
  #bias: Tensor | null = null;
  #dKernel: Tensor | null = null;
  #dBias: Tensor | null = null;
  #y: RowBuffer | null = null;
  #z: RowBuffer | null = null;
  #dz: RowBuffer | null = null;
  #dx: RowBuffer | null = null;
  #rowSum: RowBuffer | null = null;
  #x: Tensor | null = null;
  #out: Tensor | null = null;
  #params: Param[] = [];

  constructor(units: number, options: DenseOptions = {}) {
    super(layerName(options, DENSE_OPTION_KEYS, 'dense()'));
    this.units = checkPositiveInt(units, 'units', 'dense()');
    this.activation = checkActivation(options.activation ?? 'linear', 'dense()');
    this.alpha = checkNumber(options.alpha ?? DEFAULT_LEAKY_ALPHA, 'alpha', 'dense()', 0, Number.MAX_VALUE);
    this.init = checkInitializer(options.init ?? DEFAULT_INIT, 'dense()');
    if (options.useBias !== undefined && typeof options.useBias !== 'boolean') {
      fail('INVALID_ARGUMENT', `dense(): useBias must be a boolean, got ${describeValue(options.useBias)}`);
    }
    this.useBias = options.useBias ?? true;
    const r = options.regularizer;
    if (r !== undefined && (typeof r?.penalty !== 'function' || typeof r?.addGrad !== 'function')) {
      fail('INVALID_ARGUMENT', 'dense(): regularizer must have penalty(w, m) and addGrad(w, g, m), e.g. l2(0.01)');
    }
    this.regularizer = r;
  }

  protected onBuild(inputUnits: number, ctx: BuildContext): number {
    const { dtype } = ctx;
    this.#kernel = initialize(this.init, [inputUnits, this.units], ctx.init, dtype);
    this.#dKernel = zeros([inputUnits, this.units], dtype);
    const name = this.name ?? 'dense';
    this.#params = [{ name: `${name}/kernel`, value: this.#kernel, grad: this.#dKernel }];
    if (this.useBias) {
      this.#bias = zeros([this.units], dtype);
      this.#dBias = zeros([this.units], dtype);
      this.#params.push({ name: `${name}/bias`, value: this.#bias, grad: this.#dBias });
    }
    this.#y = new RowBuffer([this.units], dtype);
    this.#dz = new RowBuffer([this.units], dtype);
    this.#dx = new RowBuffer([inputUnits], dtype);
    if (this.activation === 'softmax') {
      this.#z = new RowBuffer([this.units], dtype);
      this.#rowSum = new RowBuffer([1], dtype);
    }
    return this.units;
  }

  forward(x: Tensor, _opts: ForwardOptions = {}): Tensor {
    this.ensureBuilt(x);
    const m = x.shape[0];
    const y = this.#y!.get(m);
    if (this.activation === 'softmax') {
      const z = denseForward(x, this.#kernel!, this.#bias, { out: this.#z!.get(m) });
      softmax(z, -1, { out: y });
    } else {
      denseForward(x, this.#kernel!, this.#bias, { activation: this.activation, alpha: this.alpha, out: y });
    }
    this.#x = x;
    this.#out = y;
    return y;
  }

  backward(dy: Tensor, opts: BackwardOptions = {}): Tensor | null {
    const x = this.#x;
    const y = this.#out;
    if (!x || !y || x.isDisposed) fail('NO_FORWARD', `${this.label}: backward() needs a forward() pass first`);
    if (dy.shape.join() !== y.shape.join()) {
      fail('SHAPE_MISMATCH', `${this.label}: backward() got dy ${shapeText(dy.shape)}; expected the output shape ${shapeText(y.shape)}`);
    }
    const m = x.shape[0];
    const bias = this.#dBias ?? undefined;
    let dz: Tensor;
    if (this.activation === 'linear') {
      // No activation: dz is dy itself, and the bias gradient is its column sum.
      dz = dy;
      if (bias) activationGrad('linear', dy, y, dy, 0, null, bias);
    } else {
      dz = activationGrad(this.activation, dy, y, this.#dz!.get(m), this.alpha, this.#rowSum?.get(m) ?? null, bias);
    }
    matmul(x, dz, { transposeA: true, out: this.#dKernel! });
    if (opts.inputGrad === false) return null;
    return matmul(dz, this.#kernel!, { transposeB: true, out: this.#dx!.get(m) });
  }

  override parameters(): Param[] {
    return this.#params;
  }

  override liveWeights(): Tensor[] {
    return this.#bias ? [this.#kernel!, this.#bias] : this.#kernel ? [this.#kernel] : [];
  }

  override regularizationPenalty(m: number): number {
    return this.regularizer && this.#kernel ? this.regularizer.penalty(this.#kernel, m) : 0;
  }

  override addRegularizationGrad(m: number): void {
    if (this.regularizer && this.#kernel) this.regularizer.addGrad(this.#kernel, this.#dKernel!, m);
  }

  override getConfig(): LayerConfig {
    return {
      name: this.name,
      units: this.units,
      activation: this.activation,
      alpha: this.alpha,
      init: this.init,
      useBias: this.useBias,
      // Keras's form for a nested object: { className, config }.
      regularizer: this.regularizer ? { className: this.regularizer.className ?? 'Custom', config: this.regularizer.getConfig?.() ?? {} } : null,
    };
  }

  clone(): Dense {
    return new Dense(this.units, {
      activation: this.activation, alpha: this.alpha, init: this.init, useBias: this.useBias, regularizer: this.regularizer, name: this.name,
    });
  }

  override dispose(): void {
    for (const t of [this.#kernel, this.#bias, this.#dKernel, this.#dBias]) t?.dispose();
    for (const b of [this.#y, this.#z, this.#dz, this.#dx, this.#rowSum]) b?.dispose();
    this.#x = null;
    this.#out = null;
  }
}

/**
 * A fully connected layer y = act(x·W + b) with W [inputUnits, units].
 *
 * @param units - output features
 * @param options - activation, init, useBias, regularizer, name
 * @returns the layer
 * @example
 * const hidden = dense(256, { activation: 'relu', init: 'he', regularizer: l2(1e-4) });
 */
export function dense(units: number, options: DenseOptions = {}): Dense {
  return new Dense(units, options);
}
