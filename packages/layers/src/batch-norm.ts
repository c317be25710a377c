// Batch normalization of z (before the activation), after Ioffe & Szegedy (2015) and the course:
// training normalizes with the batch mean and biased batch variance, then scales by γ and shifts by
// β; the running statistics are exponentially weighted averages (with the unbiased batch variance,
// as PyTorch's BatchNorm1d keeps them) and normalize at inference. momentum 0.9 here is PyTorch's
// momentum 0.1: running = momentum·running + (1 − momentum)·batch.
import {
  affine, axpy, batchNormBackward, batchNormNormalize, batchNormStatistics, div, mul, ones, sqrt, type Tensor, zeros,
} from '@nnkit/tensor-wasm';
import { checkNumber, fail, layerName, shapeText } from './errors';
import { type BackwardOptions, type BuildContext, type ForwardOptions, Layer, type LayerConfig } from './layer';
import { RowBuffer } from './row-buffer';
import type { Param } from './types';

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /** Weight of the old running statistics in their EWMA (default 0.9, PyTorch's 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5, PyTorch's and the course's). */
  epsilon?: number;
  /** Layer name (default batch_normalization_1, …). */
  name?: string;
}

/** @deprecated since 0.2: renamed BatchNormOptions, as every options type of nnkit. */
export type BatchNormArgs = BatchNormOptions;

/** Every key of {@link BatchNormOptions}, for the unknown-option check. */
const BATCH_NORM_OPTION_KEYS = ['momentum', 'epsilon', 'name'] as const satisfies readonly (keyof BatchNormOptions)[];

/** Default momentum, PyTorch's BatchNorm1d(momentum=0.1) in the course's convention. */
export const BATCH_NORM_MOMENTUM = 0.9;
/** Default ε, PyTorch's BatchNorm1d(eps=1e-5). */
export const BATCH_NORM_EPSILON = 1e-5;

/**
 * Batch normalization over the batch dimension; create it with {@link batchNorm}.
 * @example
 * const bn = new BatchNorm({ momentum: 0.9 }); const [gamma, beta, movingMean, movingVariance] = bn.getWeights();
 */
export class BatchNorm extends Layer {
  readonly className = 'BatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  #gamma: Tensor | null = null;
  #beta: Tensor | null = null;
  #movingMean: Tensor | null = null;
  #movingVariance: Tensor | null = null;
  #dGamma: Tensor | null = null;
  #dBeta: Tensor | null = null;
  // Per-feature scratch [n]: batch mean, batch variance, √(var + ε), and the backward's scale
  // γ/(m·√(var + ε)).
  #mu: Tensor | null = null;
  #var: Tensor | null = null;
  #std: Tensor | null = null;
  #scale: Tensor | null = null;
  #xhat: RowBuffer | null = null;
  #y: RowBuffer | null = null;
  #dx: RowBuffer | null = null;
  #params: Param[] = [];
  #trainedForward = false;
  #m = 0;

  constructor(options: BatchNormOptions = {}) {
    super(layerName(options, BATCH_NORM_OPTION_KEYS, 'batchNorm()'));
    this.momentum = checkNumber(options.momentum ?? BATCH_NORM_MOMENTUM, 'momentum', 'batchNorm()', 0, 1);
    this.epsilon = checkNumber(options.epsilon ?? BATCH_NORM_EPSILON, 'epsilon', 'batchNorm()', 0, Number.MAX_VALUE, true);
  }

  protected onBuild(n: number, ctx: BuildContext): number {
    const { dtype } = ctx;
    this.#gamma = ones([n], dtype);
    this.#beta = zeros([n], dtype);
    this.#movingMean = zeros([n], dtype);
    this.#movingVariance = ones([n], dtype);
    this.#dGamma = zeros([n], dtype);
    this.#dBeta = zeros([n], dtype);
    this.#mu = zeros([n], dtype);
    this.#var = zeros([n], dtype);
    this.#std = zeros([n], dtype);
    this.#scale = zeros([n], dtype);
    this.#xhat = new RowBuffer([n], dtype);
    this.#y = new RowBuffer([n], dtype);
    this.#dx = new RowBuffer([n], dtype);
    const name = this.name ?? 'batch_normalization';
    this.#params = [
      { name: `${name}/gamma`, value: this.#gamma, grad: this.#dGamma },
      { name: `${name}/beta`, value: this.#beta, grad: this.#dBeta },
    ];
    return n;
  }

  forward(x: Tensor, opts: ForwardOptions = {}): Tensor {
    this.ensureBuilt(x);
    const m = x.shape[0];
    const xhat = this.#xhat!.get(m);
    const y = this.#y!.get(m);
    if (opts.training) {
      if (m < 2) {
        fail('INVALID_BATCH', `${this.label}: training needs at least 2 examples per batch to estimate a variance, got a batch of ${m}`);
      }
      batchNormStatistics(x, { mean: this.#mu!, variance: this.#var!, std: this.#std!, epsilon: this.epsilon });
      batchNormNormalize(x, this.#mu!, this.#std!, this.#gamma!, this.#beta!, { xhat, out: y });
      // running = momentum·running + (1 − momentum)·batch, with the unbiased variance m/(m−1)·σ².
      const w = 1 - this.momentum;
      affine(this.#movingMean!, this.momentum, 0, { out: this.#movingMean! });
      axpy(w, this.#mu!, this.#movingMean!);
      affine(this.#movingVariance!, this.momentum, 0, { out: this.#movingVariance! });
      axpy((w * m) / (m - 1), this.#var!, this.#movingVariance!);
    } else {
      affine(this.#movingVariance!, 1, this.epsilon, { out: this.#std! });
      sqrt(this.#std!, { out: this.#std! });
      batchNormNormalize(x, this.#movingMean!, this.#std!, this.#gamma!, this.#beta!, { xhat, out: y });
    }
    this.#trainedForward = opts.training === true;
    this.#m = m;
    return y;
  }

  backward(dy: Tensor, opts: BackwardOptions = {}): Tensor | null {
    const m = this.#m;
    if (m === 0) fail('NO_FORWARD', `${this.label}: backward() needs a forward() pass first`);
    const xhat = this.#xhat!.get(m);
    if (dy.shape.join() !== xhat.shape.join()) {
      fail('SHAPE_MISMATCH', `${this.label}: backward() got dy ${shapeText(dy.shape)}; expected ${shapeText(xhat.shape)}`);
    }
    const sums = { dBeta: this.#dBeta!, dGamma: this.#dGamma! };
    if (opts.inputGrad === false) {
      batchNormBackward(dy, xhat, sums);
      return null;
    }
    const dx = this.#dx!.get(m);
    div(this.#gamma!, this.#std!, { out: this.#scale! });
    if (!this.#trainedForward) {
      // Inference statistics are constants: dx = dy·γ/√(running var + ε).
      batchNormBackward(dy, xhat, sums);
      return mul(dy, this.#scale!, { out: dx });
    }
    // dx = γ/(m·σ) · (m·dy − Σdy − x̂·Σ(dy⊙x̂)), the batch statistics' share of the gradient included.
    affine(this.#scale!, 1 / m, 0, { out: this.#scale! });
    batchNormBackward(dy, xhat, { ...sums, dx, scale: this.#scale! });
    return dx;
  }

  override parameters(): Param[] {
    return this.#params;
  }

  override liveWeights(): Tensor[] {
    return this.#gamma ? [this.#gamma, this.#beta!, this.#movingMean!, this.#movingVariance!] : [];
  }

  override getConfig(): LayerConfig {
    return { name: this.name, momentum: this.momentum, epsilon: this.epsilon };
  }

  clone(): BatchNorm {
    return new BatchNorm({ momentum: this.momentum, epsilon: this.epsilon, name: this.name });
  }

  override dispose(): void {
    const own = [this.#gamma, this.#beta, this.#movingMean, this.#movingVariance, this.#dGamma, this.#dBeta, this.#mu, this.#var, this.#std, this.#scale];
    for (const t of own) t?.dispose();
    for (const b of [this.#xhat, this.#y, this.#dx]) b?.dispose();
  }
}

/**
 * Batch normalization: (z − μ)/√(σ² + ε)·γ + β, with running statistics for inference.
 *
 * @param options - momentum (default 0.9), epsilon (default 1e-5), name
 * @returns the layer
 * @example
 * sequential([dense(100, { useBias: false }), batchNorm(), activation('relu'), dense(10)], { inputShape: [784] });
 */
export function batchNorm(options: BatchNormOptions = {}): BatchNorm {
  return new BatchNorm(options);
}
