// A layer defined by its forward pass alone: `layer({ name, build, forward })`. Its backward pass is
// the vector-Jacobian product of the forward pass (tensor-wasm's `vjp`), recorded during the
// training forward pass and run when the model back-propagates d loss / d output through it.
import {
  affine, cast, createRng, describeValue, type DType, ones, randn, randu, type Rng, scope, Tensor, unscoped, vjp, type VjpResult, zeros,
} from '@nnkit/tensor-wasm';
import { fail, shapeText } from './errors';
import { checkInitializer, type Initializer, initializerScale } from './initializers';
import { type BackwardOptions, type BuildContext, type ForwardOptions, Layer, type LayerConfig } from './layer';
import type { Param, Regularizer } from './types';

/** How `addWeight` fills a new weight: an initializer of `dense`, or `'ones'` (e.g. a scale). */
export type WeightInitializer = Initializer | 'ones';

/** Options of `ctx.addWeight` in a custom layer's `build`. */
export interface AddWeightOptions {
  /** Initial values (default 'glorotUniform', as in Keras; fans from the shape: [n] → n, n; [a, b] → a, b). */
  init?: WeightInitializer;
  /** Penalty on this weight, added to the cost and to its gradient, e.g. `l2(0.01)`. */
  regularizer?: Regularizer;
  /** Whether the optimizer trains it (default true); a non-trainable weight is saved and loaded but gets no gradient. */
  trainable?: boolean;
}

/** What a custom layer's `build` receives. */
export interface CustomBuildContext {
  /** The model's dtype: create weights with it. */
  dtype: DType;
  /** The model's initialization stream (seeded by the model's seed). */
  rng: Rng;
  /** The layer's options other than `name` (saved in model.json). */
  config: Readonly<Record<string, unknown>>;
  /** Creates a weight the layer owns, named `<layer>/<name>` in parameters and saved files. */
  addWeight(name: string, shape: readonly number[], opts?: AddWeightOptions): Tensor;
}

/** What a custom layer's `forward` receives besides its weights and input. */
export interface CustomForwardContext {
  /** Training mode (fit, trainStep) or inference (predict, evaluate). */
  training: boolean;
  /** The layer's own random stream, forked from the model's dropout stream. */
  rng: Rng;
  /** The layer's options other than `name`. */
  config: Readonly<Record<string, unknown>>;
}

/** What `build` may return: the output shape, or weights it made itself and/or the output shape. */
export type CustomBuildResult = readonly number[] | { params?: Record<string, Tensor>; outputShape?: readonly number[] } | undefined | void;

/** The definition given to {@link layer}. */
export interface CustomLayerSpec {
  /** The class name, written to model.json and looked up by loadModel (e.g. 'LayerNorm'). Instances are named `<name>_1`, `<name>_2`, … */
  name: string;
  /**
   * Creates the weights for examples of `inputShape` ([features]). Returns the output shape
   * ([units]), or nothing to have it found by running `forward` on one row of zeros.
   */
  build(inputShape: readonly number[], ctx: CustomBuildContext): CustomBuildResult;
  /** The output for a batch x [m, features], written with tensor-wasm ops (every differentiable op may be used). */
  forward(weights: Record<string, Tensor>, x: Tensor, ctx: CustomForwardContext): Tensor;
}

/** Options of a custom layer's factory: the instance `name`, and the layer's own JSON options. */
export type CustomLayerOptions = { name?: string } & Record<string, unknown>;

/** What {@link layer} returns: call it to make a layer; pass it to `loadModel` or `registerLayer`. */
export interface CustomLayerFactory {
  (options?: CustomLayerOptions): CustomLayer;
  /** The class name. */
  readonly className: string;
  /** The definition. */
  readonly spec: CustomLayerSpec;
}

/** Class names nnkit uses itself, refused for custom layers (loading would be ambiguous). */
const RESERVED_CLASSES = new Set(['Dense', 'BatchNormalization', 'Dropout', 'Activation', 'LeakyReLU', 'ReLU', 'Softmax', 'InputLayer', 'Sequential']);
/** Keys model.json's layer config uses itself. */
const RESERVED_CONFIG_KEYS = new Set(['trainable', 'dtype', 'batch_input_shape', 'batchInputShape', 'input_shape', 'inputShape']);

interface Weight {
  name: string;
  value: Tensor;
  grad: Tensor | null;
  regularizer: Regularizer | undefined;
}

/**
 * A layer made by {@link layer}. Its training forward pass records a `vjp`; `backward` runs it with
 * the incoming dy and copies the weight gradients into the layer's gradient tensors.
 */
export class CustomLayer extends Layer {
  readonly className: string;
  readonly spec: CustomLayerSpec;
  readonly factory: CustomLayerFactory;
  /** The options other than `name`, as given (JSON). */
  readonly config: Readonly<Record<string, unknown>>;
  #weights: Weight[] = [];
  #byName: Record<string, Tensor> = {};
  #trainable: Record<string, Tensor> = {};
  #params: Param[] = [];
  #rng: Rng | null = null;
  #pending: VjpResult<{ x: Tensor; w: Record<string, Tensor> }> | null = null;
  #out: Tensor | null = null;
  #dx: Tensor | null = null;

  constructor(factory: CustomLayerFactory, options: CustomLayerOptions = {}) {
    const where = `${factory.className}()`;
    if (options === null || typeof options !== 'object' || Array.isArray(options)) fail('INVALID_ARGUMENT', `${where}: options must be an object, got ${describeValue(options)}`);
    const { name, ...config } = options;
    super(name);
    for (const key of Object.keys(config)) {
      if (RESERVED_CONFIG_KEYS.has(key)) fail('INVALID_ARGUMENT', `${where}: option '${key}' is reserved by model.json; use another name`);
    }
    checkJson(config, where, 'options');
    this.factory = factory;
    this.spec = factory.spec;
    this.className = factory.className;
    this.config = Object.freeze(JSON.parse(JSON.stringify(config)) as Record<string, unknown>);
  }

  protected onBuild(inputUnits: number, ctx: BuildContext): number {
    const where = `${this.label} build()`;
    this.#rng = ctx.dropout.fork();
    const dtype = ctx.dtype;
    const add = (name: string, value: Tensor, opts: AddWeightOptions) => {
      if (typeof name !== 'string' || !/^[A-Za-z_][\w.-]*$/.test(name)) fail('INVALID_ARGUMENT', `${where}: weight name ${describeValue(name)} must be a word (letters, digits, _ . -)`);
      if (Object.hasOwn(this.#byName, name)) fail('INVALID_ARGUMENT', `${where}: two weights are named '${name}'`);
      if (!(value instanceof Tensor) || value.isDisposed) fail('INVALID_ARGUMENT', `${where}: weight '${name}' must be a live Tensor, got ${describeValue(value)}`);
      if (value.dtype !== dtype) {
        // A weight made with the default dtype (ones([n])) in a float64 model: the layer owns it, so it is converted.
        const converted = cast(value, dtype);
        value.dispose();
        value = converted;
      }
      const r = opts.regularizer;
      if (r !== undefined && (typeof r?.penalty !== 'function' || typeof r?.addGrad !== 'function')) {
        fail('INVALID_ARGUMENT', `${where}: the regularizer of weight '${name}' must have penalty(w, m) and addGrad(w, g, m), e.g. l2(0.01)`);
      }
      const trainable = opts.trainable ?? true;
      const grad = trainable ? zeros(value.shape, dtype) : null;
      this.#weights.push({ name, value, grad, regularizer: r });
      this.#byName[name] = value;
      if (grad) {
        this.#trainable[name] = value;
        this.#params.push({ name: `${this.name ?? this.className}/${name}`, value, grad });
      }
      return value;
    };
    const made = this.spec.build([inputUnits], {
      dtype,
      rng: ctx.init,
      config: this.config,
      addWeight: (name, shape, opts = {}) => add(name, initialValues(opts.init ?? 'glorotUniform', shape, ctx.init, dtype, where), opts),
    });
    let outputShape: readonly number[] | undefined;
    if (Array.isArray(made)) outputShape = made;
    else if (made !== undefined && made !== null) {
      if (typeof made !== 'object') fail('INVALID_ARGUMENT', `${where}: build must return the output shape, { params, outputShape } or nothing; got ${describeValue(made)}`);
      const result = made as { params?: Record<string, Tensor>; outputShape?: readonly number[] };
      for (const [name, value] of Object.entries(result.params ?? {})) add(name, value, {});
      outputShape = result.outputShape;
    }
    if (outputShape === undefined) outputShape = this.#inferOutput(inputUnits, dtype);
    if (!Array.isArray(outputShape) || outputShape.length !== 1 || !Number.isInteger(outputShape[0]) || outputShape[0] < 1) {
      fail('INVALID_SHAPE', `${where}: the output shape must be [units] with a positive integer, got ${describeValue(outputShape)}`);
    }
    return outputShape[0];
  }

  /** The output width, from a forward pass over one row of zeros in inference mode. */
  #inferOutput(inputUnits: number, dtype: DType): readonly number[] {
    return scope(() => {
      const y = this.#call(this.#byName, zeros([1, inputUnits], dtype), false, 1);
      return [y.shape[1]];
    });
  }

  /** Runs the user's forward pass and checks its result for m rows. */
  #call(weights: Record<string, Tensor>, x: Tensor, training: boolean, m: number, units?: number, rng?: Rng): Tensor {
    const y = this.spec.forward(weights, x, { training, rng: rng ?? this.#rng!, config: this.config });
    if (!(y instanceof Tensor)) fail('INVALID_ARGUMENT', `${this.label}: forward must return a Tensor, got ${describeValue(y)}`);
    const expected = units === undefined ? 'rows of the input' : `[${m}, ${units}]`;
    if (y.shape.length !== 2 || y.shape[0] !== m || (units !== undefined && y.shape[1] !== units)) {
      fail('INVALID_SHAPE', `${this.label}: forward returned shape ${shapeText(y.shape)} for an input ${shapeText(x.shape)}; expected ${expected}`);
    }
    if (y.dtype !== x.dtype) fail('DTYPE_MISMATCH', `${this.label}: forward returned ${y.dtype} for a ${x.dtype} input`);
    return y;
  }

  forward(x: Tensor, opts: ForwardOptions = {}): Tensor {
    this.ensureBuilt(x);
    this.#release();
    const training = opts.training ?? false;
    const m = x.shape[0];
    const units = this.outputShape[0];
    // The output and the recorded pass belong to the layer until the next forward pass, whatever
    // scope the caller runs in (as the built-in layers' buffers do).
    unscoped(() => {
      if (!training) {
        this.#out = scope(() => this.#call(this.#byName, x, false, m, units));
        return;
      }
      const pending = vjp((p: { x: Tensor; w: Record<string, Tensor> }) => this.#call({ ...this.#byName, ...p.w }, p.x, true, m, units), { x, w: this.#trainable });
      this.#pending = pending;
      this.#out = pending.value;
    });
    return this.#out!;
  }

  backward(dy: Tensor, opts: BackwardOptions = {}): Tensor | null {
    const pending = this.#pending;
    if (!pending) fail('NO_FORWARD', `${this.label}: backward() needs a forward() pass in training mode first`);
    const out = this.#out!;
    if (dy.shape.join() !== out.shape.join()) {
      fail('SHAPE_MISMATCH', `${this.label}: backward() got dy ${shapeText(dy.shape)}; expected the output shape ${shapeText(out.shape)}`);
    }
    return unscoped(() => {
      const g = pending.backward(dy);
      pending.dispose();
      this.#pending = null;
      for (const p of this.#params) {
        const local = p.name.slice(p.name.lastIndexOf('/') + 1);
        affine(g.w[local], 1, 0, { out: p.grad });
        g.w[local].dispose();
      }
      this.#dx?.dispose();
      this.#dx = null;
      if (opts.inputGrad === false) {
        g.x.dispose();
        return null;
      }
      this.#dx = g.x;
      return g.x;
    });
  }

  /** Frees the recorded pass, the last output and the last input gradient. */
  #release(): void {
    this.#pending?.dispose();
    this.#pending = null;
    this.#out?.dispose();
    this.#out = null;
    this.#dx?.dispose();
    this.#dx = null;
  }

  /**
   * The forward pass with `params` (trainable weights by name) in place of the layer's own, for
   * `model.apply`: nothing is kept, and the ops are recorded if a gradient is being taken.
   * @param rng - the random stream for `forward` (default: the layer's own)
   */
  applyWith(params: Record<string, Tensor>, x: Tensor, training: boolean, rng?: Rng): Tensor {
    return this.#call({ ...this.#byName, ...params }, x, training, x.shape[0], this.outputShape[0], rng);
  }

  /** The state of this layer's random stream (null before build), so a saved run resumes with the same draws. */
  rngState(): number[] | null {
    return this.#rng ? this.#rng.state() : null;
  }

  /** Continues the stream from a `rngState()` (four 32-bit words); the layer must be built. */
  setRngState(state: readonly number[]): void {
    if (!this.#rng) fail('NOT_BUILT', `${this.label}: setRngState() needs a built layer`);
    this.#rng = createRng(state);
  }

  /** The weight names, in `liveWeights()` order (saved as `<layer>/<name>`). */
  get weightNames(): string[] {
    return this.#weights.map((w) => w.name);
  }

  /** The weights by name (the live tensors; do not dispose them). */
  weights(): Record<string, Tensor> {
    return { ...this.#byName };
  }

  override parameters(): Param[] {
    return this.#params;
  }

  override liveWeights(): Tensor[] {
    return this.#weights.map((w) => w.value);
  }

  override regularizationPenalty(m: number): number {
    let p = 0;
    for (const w of this.#weights) if (w.regularizer) p += w.regularizer.penalty(w.value, m);
    return p;
  }

  override addRegularizationGrad(m: number): void {
    for (const w of this.#weights) if (w.regularizer && w.grad) w.regularizer.addGrad(w.value, w.grad, m);
  }

  override getConfig(): LayerConfig {
    return { name: this.name, ...this.config };
  }

  clone(): CustomLayer {
    return this.factory({ ...this.config, ...(this.name === undefined ? {} : { name: this.name }) });
  }

  override dispose(): void {
    this.#release();
    for (const w of this.#weights) {
      w.value.dispose();
      w.grad?.dispose();
    }
    this.#weights = [];
    this.#byName = {};
    this.#trainable = {};
    this.#params = [];
  }
}

/** A new weight of `shape` filled by `init`. */
function initialValues(init: WeightInitializer, shape: readonly number[], rng: Rng, dtype: DType, where: string): Tensor {
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    fail('INVALID_SHAPE', `${where}: a weight's shape must be a list of positive integers, got ${describeValue(shape)}`);
  }
  if (init === 'ones') return ones(shape, dtype);
  const checked = checkInitializer(init, where);
  if (checked === 'zeros') return zeros(shape, dtype);
  const fanIn = shape.length === 1 ? shape[0] : shape[shape.length - 2];
  const fanOut = shape[shape.length - 1];
  const scale = initializerScale(checked, fanIn, fanOut);
  if (checked === 'glorotUniform') return randu(shape, { rng, dtype, low: -scale, high: scale });
  return randn(shape, { rng, dtype, std: scale });
}

/** Throws unless `value` survives JSON unchanged (numbers, strings, booleans, null, arrays, plain objects). */
function checkJson(value: unknown, where: string, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail('INVALID_ARGUMENT', `${where}: ${path} is ${value}; options are saved as JSON, which has no NaN or Infinity`);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkJson(value[i], where, `${path}[${i}]`);
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) checkJson(v, where, `${path}.${k}`);
    return;
  }
  fail('INVALID_ARGUMENT', `${where}: ${path} is ${describeValue(value)}; a custom layer's options are saved in model.json, so they must be JSON (numbers, strings, booleans, arrays, objects)`);
}

/**
 * Defines a layer by its forward pass: `build` creates the weights, `forward` computes the output
 * with tensor-wasm ops, and autodiff gives the backward pass. The result is a factory: call it
 * (with an optional instance `name` and JSON options passed to `build` and `forward` as `config`)
 * for each layer of a model. It works in `sequential`, `fit`, `evaluate`, `predict`, `gradCheck`,
 * `getWeights`/`setWeights`, `model.params()`/`model.apply()` and `save`; `loadModel` needs the
 * factory (`loadModel(source, { layers: [factory] })`, or `registerLayer(factory)` once).
 *
 * @param spec - `{ name, build, forward }`
 * @returns the factory
 * @example
 * const scaleShift = layer({
 *   name: 'ScaleShift',
 *   build: ([n], ctx) => { ctx.addWeight('g', [n], { init: 'ones' }); ctx.addWeight('b', [n], { init: 'zeros' }); },
 *   forward: (w, x) => add(mul(x, w.g), w.b),
 * });
 * const model = sequential([dense(8), scaleShift(), dense(2)], { inputShape: [2] });
 */
export function layer(spec: CustomLayerSpec): CustomLayerFactory {
  const where = 'layer()';
  if (spec === null || typeof spec !== 'object') fail('INVALID_ARGUMENT', `${where}: expected { name, build, forward }, got ${describeValue(spec)}`);
  const { name, build, forward } = spec;
  if (typeof name !== 'string' || !/^[A-Za-z][\w]*$/.test(name)) {
    fail('INVALID_ARGUMENT', `${where}: name must be a class name (a letter, then letters, digits or _), got ${describeValue(name)}`);
  }
  if (RESERVED_CLASSES.has(name)) fail('INVALID_ARGUMENT', `${where}: name '${name}' is a built-in layer class; choose another`);
  if (typeof build !== 'function') fail('INVALID_ARGUMENT', `${where}: build must be a function (inputShape, ctx) => outputShape, got ${describeValue(build)}`);
  if (typeof forward !== 'function') fail('INVALID_ARGUMENT', `${where}: forward must be a function (weights, x, ctx) => Tensor, got ${describeValue(forward)}`);
  const frozen: CustomLayerSpec = Object.freeze({ name, build, forward });
  const factory = ((options?: CustomLayerOptions) => new CustomLayer(factory, options ?? {})) as CustomLayerFactory;
  Object.defineProperty(factory, 'className', { value: name, enumerable: true });
  Object.defineProperty(factory, 'spec', { value: frozen, enumerable: true });
  return factory;
}

const registry = new Map<string, CustomLayerFactory>();

/**
 * Registers a custom layer's factory for `loadModel` under its class name (a later registration of
 * the same name replaces it).
 * @example
 * registerLayer(layerNorm); const model = await loadModel('./saved');
 */
export function registerLayer(factory: CustomLayerFactory): void {
  if (typeof factory !== 'function' || typeof factory.className !== 'string' || !factory.spec) {
    fail('INVALID_ARGUMENT', `registerLayer(): expected a factory made by layer({ name, build, forward }), got ${describeValue(factory)}`);
  }
  registry.set(factory.className, factory);
}

/** The factory of class `className`: among `given` first, then the registered ones. */
export function findLayerFactory(className: string, given: readonly CustomLayerFactory[] | undefined): CustomLayerFactory | undefined {
  return given?.find((f) => f.className === className) ?? registry.get(className);
}
