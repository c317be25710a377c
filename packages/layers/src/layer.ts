// The base of every layer: a name, a build step that creates the weights once the input shape is
// known, forward/backward over preallocated buffers, the weights in the TensorFlow.js order, and a
// Keras-style config for serialization.
import { createRng, type DType, type Rng, type Tensor, unscoped } from '@nnkit/tensor-wasm';
import { fail, shapeText } from './errors';
import type { Param } from './types';

/** How a forward pass runs. */
export interface ForwardOptions {
  /** Training mode: batch statistics in batch norm, masks in dropout. Default false (inference). */
  training?: boolean;
  /** Whether dropout masks apply; defaults to `training`. Gradient checking turns it off. */
  dropout?: boolean;
}

/** How a backward pass runs. */
export interface BackwardOptions {
  /** Compute d loss / d input (default true); the model skips it for its first layer. */
  inputGrad?: boolean;
}

/** The random streams a layer may draw from while it is built and trained. */
export interface BuildContext {
  dtype: DType;
  /** Initialization stream (weights). */
  init: Rng;
  /** Dropout stream; each dropout layer forks its own. */
  dropout: Rng;
}

/** A plain, JSON-serializable description of a layer (Keras `getConfig()`). */
export type LayerConfig = Record<string, unknown>;

/** Set by Layer's static block: it needs the private shape fields. */
let unbuild: (layer: Layer) => void;

/**
 * A layer of a sequential model. Subclasses implement `onBuild`, `forward`, `backward` and `clone`;
 * everything a layer needs per batch is allocated once per batch size and reused.
 * @example
 * const y = layer.forward(x, { training: true }); const dx = layer.backward(dy); // grads in layer.parameters()
 */
export abstract class Layer {
  /** The Keras / TensorFlow.js class name, e.g. 'Dense'. */
  abstract readonly className: string;
  /** Unique within a model; the model assigns `dense_1`, `dense_2`, … when none was given. */
  name: string | undefined;
  #inputShape: readonly number[] | null = null;
  #outputShape: readonly number[] | null = null;
  #dtype: DType = 'float32';

  constructor(name?: string) {
    if (name !== undefined && (typeof name !== 'string' || name === '')) {
      fail('INVALID_ARGUMENT', `layer name must be a non-empty string, got ${JSON.stringify(name)}`);
    }
    this.name = name;
  }

  /** True once the weights exist. */
  get built(): boolean {
    return this.#inputShape !== null;
  }

  /** Shape of one example entering the layer (without the batch dimension). */
  get inputShape(): readonly number[] {
    if (!this.#inputShape) fail('NOT_BUILT', `${this.label}: the input shape is not known yet; build the model or call forward() first`);
    return this.#inputShape;
  }

  /** Shape of one example leaving the layer. */
  get outputShape(): readonly number[] {
    if (!this.#outputShape) fail('NOT_BUILT', `${this.label}: the output shape is not known yet; build the model or call forward() first`);
    return this.#outputShape;
  }

  /** The dtype of the weights and buffers. */
  get dtype(): DType {
    return this.#dtype;
  }

  /** `name` or the class name, for messages. */
  get label(): string {
    return `${this.className} '${this.name ?? this.className.toLowerCase()}'`;
  }

  /**
   * Creates the weights for inputs of `inputShape` (no batch dimension).
   * @returns the output shape
   */
  build(inputShape: readonly number[], ctx: BuildContext): readonly number[] {
    if (this.built) fail('ALREADY_BUILT', `${this.label} is already built for input ${shapeText(this.inputShape)}; a layer belongs to one model`);
    if (inputShape.length !== 1 || !Number.isInteger(inputShape[0]) || inputShape[0] < 1) {
      fail('INVALID_SHAPE', `${this.label}: expected an input shape [features] with a positive integer, got ${shapeText(inputShape)}`);
    }
    this.#dtype = ctx.dtype;
    let out: number;
    try {
      // Weights and buffers outlive whatever scope() the first forward pass may run in.
      out = unscoped(() => this.onBuild(inputShape[0], ctx));
    } catch (e) {
      // onBuild may have allocated some of its tensors before failing (OUT_OF_MEMORY on the last one).
      this.dispose();
      throw e;
    }
    this.#inputShape = Object.freeze([...inputShape]);
    this.#outputShape = Object.freeze([out]);
    return this.#outputShape;
  }

  /** Builds on first use outside a model, from x's shape and a generator seeded with 0. */
  protected ensureBuilt(x: Tensor): void {
    if (x.shape.length !== 2) fail('INVALID_SHAPE', `${this.label}: expected a 2-D input [batch, features], got ${shapeText(x.shape)}`);
    if (!this.built) {
      const rng = createRng(0);
      this.build([x.shape[1]], { dtype: x.dtype, init: rng.fork(), dropout: rng.fork() });
    }
    if (x.shape[1] !== this.inputShape[0] || x.dtype !== this.dtype) {
      fail('SHAPE_MISMATCH', `${this.label}: input ${shapeText(x.shape)} ${x.dtype} does not match the layer's input [batch, ${this.inputShape[0]}] ${this.dtype}`);
    }
  }

  /** Creates weights and buffers; returns the number of output features. */
  protected abstract onBuild(inputUnits: number, ctx: BuildContext): number;

  /**
   * The layer's output for a batch x [m, features]. The result lives in the layer's buffers: it is
   * valid until the next forward pass with the same batch size, and the caller must not dispose it.
   */
  abstract forward(x: Tensor, opts?: ForwardOptions): Tensor;

  /**
   * Back-propagates dy (d loss / d output of the last forward pass): fills the grads of
   * `parameters()` and returns d loss / d input (null when `inputGrad` is false).
   */
  abstract backward(dy: Tensor, opts?: BackwardOptions): Tensor | null;

  /** Trainable tensors and their gradients (empty for layers without weights). */
  parameters(): Param[] {
    return [];
  }

  /** The live weight tensors in the TensorFlow.js order (trainable and not); do not dispose them. */
  liveWeights(): Tensor[] {
    return [];
  }

  /**
   * The weights in the TensorFlow.js order, as in TensorFlow.js: the live tensors, which training
   * updates in place. Clone what you keep; do not dispose them.
   */
  getWeights(): Tensor[] {
    return this.liveWeights();
  }

  /** Copies `weights` (same shapes, in `getWeights()` order) into the layer. */
  setWeights(weights: readonly Tensor[]): void {
    const own = this.liveWeights();
    if (!Array.isArray(weights) || weights.length !== own.length) {
      fail('INVALID_ARGUMENT', `${this.label}: setWeights() got ${Array.isArray(weights) ? weights.length : String(weights)} tensors; expected ${own.length}`);
    }
    own.forEach((w, i) => {
      if (weights[i].shape.join() !== w.shape.join()) {
        fail('SHAPE_MISMATCH', `${this.label}: setWeights() tensor ${i} has shape ${shapeText(weights[i].shape)}; expected ${shapeText(w.shape)}`);
      }
    });
    own.forEach((w, i) => {
      w.assign(weights[i].dtype === w.dtype ? weights[i] : weights[i].toArray());
    });
  }

  /** Regularization cost of this layer's weights for m training examples (0 without a regularizer). */
  regularizationPenalty(_m: number): number {
    return 0;
  }

  /** Adds the regularizer's gradient to the weight grads. */
  addRegularizationGrad(_m: number): void {}

  /** The Keras-style config: a plain JSON object that recreates the layer. */
  getConfig(): LayerConfig {
    return { name: this.name };
  }

  /** A new, unbuilt layer with the same configuration (and the same regularizer object). */
  abstract clone(): Layer;

  /** Frees the weights and buffers. */
  dispose(): void {}

  static {
    unbuild = (layer) => {
      layer.dispose();
      layer.#inputShape = null;
      layer.#outputShape = null;
    };
  }
}

/**
 * Frees a layer's weights and returns it to the unbuilt state, so that it can be built again (every
 * onBuild assigns all of its tensors afresh). The model calls it when building fails part-way.
 * Not exported from the package.
 */
export function unbuildLayer(layer: Layer): void {
  unbuild(layer);
}
