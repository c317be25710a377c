// The sequential model: a stack of layers with one seeded generator forked into independent
// streams (initialization, shuffling, dropout), a compiled loss and optimizer, and the training
// step of ARCHITECTURE.md: forward → loss and dlogits in one pass → backward → regularizer grads →
// finiteness check → optimizer step, all over buffers reused from one step to the next.
import { checkOptionKeys, createRng, type DType, describeValue, type Rng, Tensor } from '@nnkit/tensor-wasm';
import { CustomLayer } from './custom-layer';
import { checkInputs, checkTargets } from './data-checks';
import { Dropout } from './dropout';
import type { ModelArtifacts, SaveOptions, SaveTarget } from './io/artifacts';
import { saveModel } from './io/save-model';
import { checkPositiveInt, fail, shapeText } from './errors';
import { type FitStep, fitModel, fitSteps, type History } from './fit';
import { type FitBatches, type FitOptions, fitArguments } from './fit-options';
import { type ForwardOptions, Layer, unbuildLayer } from './layer';
import { type Loss, type LossFunction, type LossName, resolveLoss } from './losses/index';
import { evaluateInBatches, predictInBatches } from './inference';
import { type Metric, type MetricFunction, resolveMetrics } from './metrics';
import { type ApplyOptions, applyModel, type ModelParams, modelParams } from './model-function';
import { RowBuffer } from './row-buffer';
import { modelSummary } from './summary';
import { diagnoseDivergence, type StepBuffers, stepBuffers, trainOnBatch } from './train-step';
import type { Optimizer, Param, TrainableModel } from './types';

/** Options of {@link sequential}. */
export interface SequentialOptions {
  /** Features of one example, e.g. [784]; without it the model is built by the first fit or trainStep. */
  inputShape?: readonly number[];
  /** Seed of the model's generator (initial weights, shuffling, dropout masks). Default: random. */
  seed?: number;
  /** 'float32' (default) or 'float64'. */
  dtype?: DType;
}

/** Options of `compile`. */
export interface CompileOptions {
  /**
   * 'softmaxCrossEntropy' | 'sigmoidCrossEntropy' | 'meanSquaredError', all from logits / raw
   * outputs; or a function `(yTrue, yPred) => scalar Tensor` written with tensor ops (Keras's
   * order: the y given to fit, then the model's output), differentiated by autodiff.
   */
  loss: LossName | LossFunction;
  /**
   * Any object with `step(params)`, e.g. `adam({ learningRate: 1e-3 })` from @nnkit/optimizers. It
   * stays yours: `model.dispose()` does not free it (it may be shared); call `optimizer.dispose()`
   * when you are done with it.
   */
  optimizer: Optimizer;
  /** 'accuracy' and/or metric functions. */
  metrics?: Metric[];
}

/** The model's random streams as data: four 32-bit words each (see `Rng.state()`). */
export interface RandomState {
  /** The shuffling stream of fit. */
  shuffle: number[];
  /** Each built dropout layer's mask stream and each custom layer's stream (`ctx.rng`), by layer name. */
  dropout: Record<string, number[]>;
}

/** Options of `evaluate` and `predict`. */
export interface EvaluateOptions {
  /** Examples per forward pass (default 256). */
  batchSize?: number;
}

/** Every key of each options type, for the unknown-option checks. */
const SEQUENTIAL_OPTION_KEYS = ['inputShape', 'seed', 'dtype'] as const satisfies readonly (keyof SequentialOptions)[];
const COMPILE_OPTION_KEYS = ['loss', 'optimizer', 'metrics'] as const satisfies readonly (keyof CompileOptions)[];
const EVALUATE_OPTION_KEYS = ['batchSize'] as const satisfies readonly (keyof EvaluateOptions)[];

/** Default batch size of evaluate and predict (memory, not numbers, depends on it). */
export const EVAL_BATCH_SIZE = 256;

/** Hands a model its own optimizer; set by the class's static block (it needs a private method). */
let adoptOptimizer: (model: Sequential, optimizer: Optimizer) => void;
/** Sets the loss, optimizer and metrics of a fit given its own; set by the static block. */
let setTrainingOf: (model: Sequential, loss: Loss, optimizer: Optimizer, metrics: { name: string; fn: MetricFunction | null }[]) => void;

/**
 * A model: layers applied in order. Create it with {@link sequential}.
 * @example
 * const model = new Sequential([dense(10)], { inputShape: [4], seed: 1 }); // same as sequential(…)
 */
export class Sequential implements TrainableModel {
  readonly className = 'Sequential';
  readonly layers: readonly Layer[];
  readonly dtype: DType;
  readonly seed: number;
  /** Set by a callback to end `fit` after the current batch. */
  stopTraining = false;
  #inputShape: readonly number[] | null = null;
  #initRng: Rng;
  #shuffleRng: Rng;
  #dropoutRng: Rng;
  #loss: Loss | null = null;
  #optimizer: Optimizer | null = null;
  #metrics: { name: string; fn: MetricFunction | null }[] = [];
  #lossGrad: RowBuffer | null = null;
  /** trainStep's buffer for targets given as a plain array (one sigmoid or squared-error output). */
  #targetRows: RowBuffer | null = null;
  /** Whether the optimizer is the model's to free (restored by loadModel) rather than the caller's. */
  #ownsOptimizer = false;
  #disposed = false;
  #params: Param[] = [];
  /** trainStep's per-layer Σ grad² and layer outputs (fit keeps its own). */
  #stepBuffers: StepBuffers;

  constructor(layers: readonly Layer[], opts: SequentialOptions = {}) {
    checkOptionKeys(opts, SEQUENTIAL_OPTION_KEYS, 'sequential()');
    if (!Array.isArray(layers) || layers.length === 0) fail('INVALID_ARGUMENT', `sequential(): layers must be a non-empty array of layers, got ${describeValue(layers)}`);
    layers.forEach((l, i) => {
      if (!(l instanceof Layer)) fail('INVALID_ARGUMENT', `sequential(): element ${i} is not a layer (dense(), batchNorm(), …)`);
      if (l.built) fail('ALREADY_BUILT', `sequential(): ${l.label} is already built; a layer belongs to one model (use layer.clone())`);
    });
    if (new Set(layers).size !== layers.length) fail('INVALID_ARGUMENT', 'sequential(): the same layer object appears twice');
    const dtype = opts.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'float64') fail('UNKNOWN_DTYPE', `sequential(): dtype ${JSON.stringify(dtype)} is not 'float32' or 'float64'`);
    const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 32);
    if (!Number.isSafeInteger(seed) || seed < 0) fail('INVALID_ARGUMENT', `sequential(): seed must be a non-negative integer, got ${describeValue(seed)}`);
    if (opts.inputShape !== undefined) checkInputShape(opts.inputShape);
    this.layers = Object.freeze([...layers]);
    this.dtype = dtype;
    this.seed = seed;
    assignNames(this.layers);
    // One generator, forked once per purpose in a fixed order, so that e.g. adding dropout does not
    // change the initial weights or the batch order.
    const root = createRng(seed);
    this.#initRng = root.fork();
    this.#shuffleRng = root.fork();
    this.#dropoutRng = root.fork();
    this.#stepBuffers = stepBuffers(layers.length);
    if (opts.inputShape !== undefined) this.build(opts.inputShape);
  }

  static {
    adoptOptimizer = (model, optimizer) => model.#setOptimizer(optimizer, true);
    setTrainingOf = (model, loss, optimizer, metrics) => {
      model.#loss = loss;
      model.#setOptimizer(optimizer, false);
      model.#metrics = metrics;
    };
  }

  /** The model's shuffling stream, used by fit unless fit is given its own seed. */
  get shuffleRng(): Rng {
    return this.#shuffleRng;
  }

  /**
   * The states of the shuffling and dropout streams: saved with the optimizer so that a resumed
   * run draws the same batch orders and masks as an uninterrupted one.
   */
  randomState(): RandomState {
    const dropout: Record<string, number[]> = {};
    for (const l of this.layers) if (hasStream(l) && l.rngState()) dropout[l.name!] = l.rngState()!;
    return { shuffle: this.#shuffleRng.state(), dropout };
  }

  /** Continues the streams from a `randomState()` (dropout entries by layer name; the model must be built). */
  setRandomState(state: RandomState): void {
    // createRng checks every state first, so a bad one changes nothing.
    const shuffle = createRng(state.shuffle);
    const drops = this.layers.filter((l): l is Dropout | CustomLayer => hasStream(l) && Object.hasOwn(state.dropout, l.name!));
    for (const l of drops) createRng(state.dropout[l.name!]);
    for (const l of drops) l.setRngState(state.dropout[l.name!]);
    this.#shuffleRng = shuffle;
  }

  /** True once the input shape is known and every layer has its weights. */
  get built(): boolean {
    return this.#inputShape !== null;
  }

  /** Features of one input example. */
  get inputShape(): readonly number[] | null {
    return this.#inputShape;
  }

  /** Features of one output (logits) row. */
  get outputShape(): readonly number[] {
    if (!this.built) fail('NOT_BUILT', 'the model has no inputShape yet: pass sequential(layers, { inputShape }) or call fit() first');
    return this.layers[this.layers.length - 1].outputShape;
  }

  /** The compiled loss, or null. */
  get loss(): Loss | null {
    return this.#loss;
  }

  /** The compiled optimizer, or null. */
  get optimizer(): Optimizer | null {
    return this.#optimizer;
  }

  /** Names of the compiled metrics. */
  get metricNames(): string[] {
    return this.#metrics.map((m) => m.name);
  }

  /** Metric functions by name (for fit and evaluate). */
  get metricFunctions(): { name: string; fn: MetricFunction | null }[] {
    return this.#metrics;
  }

  /** Creates every layer's weights for inputs of `inputShape` (no-op when already built for it). */
  build(inputShape: readonly number[]): void {
    checkInputShape(inputShape);
    if (this.#inputShape) {
      if (this.#inputShape[0] !== inputShape[0]) fail('SHAPE_MISMATCH', `build(): the model is built for inputShape ${shapeText(this.#inputShape)}, not ${shapeText(inputShape)}`);
      return;
    }
    let shape: readonly number[] = inputShape;
    try {
      for (const layer of this.layers) shape = layer.build(shape, { dtype: this.dtype, init: this.#initRng, dropout: this.#dropoutRng });
    } catch (e) {
      // An OUT_OF_MEMORY (or any error) on a later layer must not strand the earlier layers'
      // weights: nothing else can reach them to free them.
      for (const layer of this.layers) unbuildLayer(layer);
      throw e;
    }
    this.#inputShape = Object.freeze([...inputShape]);
    this.#params = this.layers.flatMap((l) => l.parameters());
    this.#lossGrad = new RowBuffer(this.outputShape, this.dtype);
  }

  /**
   * Sets the loss, optimizer and metrics used by fit, trainStep and evaluate. The optimizer stays the
   * caller's (see `dispose()`); an optimizer the model owned until now (one `loadModel` restored) is
   * freed when another replaces it.
   * @example
   * model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 1e-3 }), metrics: ['accuracy'] });
   */
  compile(opts: CompileOptions): void {
    checkOptionKeys(opts, COMPILE_OPTION_KEYS, 'compile()');
    const loss = resolveLoss(opts?.loss, 'compile()');
    const optimizer = checkOptimizer(opts.optimizer, 'compile()');
    this.#metrics = resolveMetrics(opts.metrics, loss, 'compile()');
    this.#loss = loss;
    this.#setOptimizer(optimizer, false);
  }

  /**
   * Sets the optimizer; `owned` when the model created it. An optimizer the model owned and now
   * drops is freed, since nothing else holds it; the caller's optimizers are never freed here.
   */
  #setOptimizer(optimizer: Optimizer, owned: boolean): void {
    if (optimizer === this.#optimizer) {
      this.#ownsOptimizer ||= owned;
      return;
    }
    if (this.#ownsOptimizer) this.#optimizer?.dispose?.();
    this.#optimizer = optimizer;
    this.#ownsOptimizer = owned;
  }

  /** Runs the layers; the result is the last layer's buffer (valid until the next forward pass). */
  forward(x: Tensor, opts: ForwardOptions = {}): Tensor {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h, opts);
    return h;
  }

  /** Back-propagates d loss / d output through every layer, filling the parameters' grads. */
  backward(dy: Tensor): void {
    let g: Tensor | null = dy;
    for (let i = this.layers.length - 1; i >= 0 && g; i--) g = this.layers[i].backward(g, { inputGrad: i > 0 });
  }

  /** Buffer for d loss / d logits of m rows. */
  lossGradBuffer(m: number): Tensor {
    return this.#lossGrad!.get(m);
  }

  /**
   * One forward + backward + update on a batch.
   *
   * @param xBatch - [batch, features]
   * @param yBatch - targets as in fit; a plain array is copied into a buffer the model reuses
   * @param opts - `trainingExamples`: the m of the regularizer's λ/m (default: the batch size)
   * @returns the cost of the batch (loss plus regularization) before the update
   * @example
   * const loss = model.trainStep(xBatch, yBatch);
   */
  trainStep(xBatch: Tensor, yBatch: Tensor | ArrayLike<number>, opts: { trainingExamples?: number } = {}): number {
    const where = 'trainStep()';
    checkOptionKeys(opts, ['trainingExamples'], where);
    this.#checkLive(where);
    const { loss, optimizer } = this.#compiled(where);
    if (!this.built && xBatch instanceof Tensor && xBatch.shape.length === 2) this.build([xBatch.shape[1]]);
    const x = checkInputs(xBatch, 'xBatch', where, this.#inputShape![0], this.dtype);
    const m = opts.trainingExamples === undefined ? x.shape[0] : checkPositiveInt(opts.trainingExamples, 'trainingExamples', where);
    // A plain array of targets goes into a buffer kept for the next step, so a step allocates nothing.
    this.#targetRows ??= new RowBuffer(this.outputShape, this.dtype);
    const rows = this.#targetRows;
    const { targets, made } = checkTargets(yBatch, loss, x.shape[0], this.outputShape[0], this.dtype, where, 'yBatch', (n) => rows.get(n));
    let result: ReturnType<typeof trainOnBatch>;
    try {
      result = trainOnBatch(this, x, targets, m, loss, optimizer, this.#stepBuffers);
    } finally {
      made?.dispose(); // a custom loss's class ids given as an array
    }
    if (!result.finite) throw diagnoseDivergence(this, result, this.#stepBuffers, where);
    return result.loss;
  }

  /**
   * Trains on (x, y) in shuffled mini-batches (batched by `batches()` of @nnkit/data), or on the
   * batches of an iterable such as data's `streamBatches` (read once per epoch; give a function
   * returning a fresh stream to run several epochs over a stream).
   * @param x - [examples, features], or an iterable of `{ x, y }` batches (then the options come second)
   * @param y - for softmaxCrossEntropy class ids (an array, or a Tensor [m] / [m, 1]) or one-hot /
   *   probability rows [m, classes]; for sigmoidCrossEntropy and meanSquaredError a Tensor
   *   [m, outputs], or with one output also a Tensor [m] or an array. Checked once per call.
   * @returns the history: per-epoch logs and per-layer gradient norms
   * @example
   * const history = await model.fit(x, y, { epochs: 10, batchSize: 64, validationData: [xDev, yDev] });
   */
  fit(x: Tensor, y: Tensor | ArrayLike<number>, opts?: FitOptions): Promise<History>;
  fit(batches: FitBatches, opts?: FitOptions): Promise<History>;
  fit(x: Tensor | FitBatches, y?: Tensor | ArrayLike<number> | FitOptions, opts?: FitOptions): Promise<History> {
    try {
      this.#checkLive('fit()');
    } catch (e) {
      return Promise.reject(e);
    }
    const [data, targets, options] = fitArguments(x, y, opts);
    return fitModel(this, data, targets, options);
  }

  /**
   * The steps of a fit, one per batch, for training a few batches at a time (e.g. per animation
   * frame): `fit` is this iterator run to the end. Each step reports its epoch, batch, loss and
   * gradient norms; the last step of an epoch carries the epoch's logs; the iterator's return value
   * is the history. Arguments and options are those of `fit`, checked on the first `next()`.
   * Leaving early (`break`, `return()`) ends the run and frees its buffers.
   * @example
   * const steps = model.fitSteps(x, y, { epochs: Infinity, batchSize: 32 });
   * for await (const { loss, logs } of steps) if (logs) console.log(logs.loss);
   */
  fitSteps(x: Tensor, y: Tensor | ArrayLike<number>, opts?: FitOptions): AsyncGenerator<FitStep, History, undefined>;
  fitSteps(batches: FitBatches, opts?: FitOptions): AsyncGenerator<FitStep, History, undefined>;
  fitSteps(x: Tensor | FitBatches, y?: Tensor | ArrayLike<number> | FitOptions, opts?: FitOptions): AsyncGenerator<FitStep, History, undefined> {
    this.#checkLive('fitSteps()');
    const [data, targets, options] = fitArguments(x, y, opts);
    return fitSteps(this, data, targets, options);
  }

  /**
   * The model's outputs (logits for the classification losses) in inference mode.
   *
   * @param x - [examples, features]
   * @returns a new [examples, outputs] tensor the caller owns
   * @example
   * const logits = model.predict(xTest);
   */
  predict(x: Tensor, opts: EvaluateOptions = {}): Tensor {
    const where = 'predict()';
    checkOptionKeys(opts, EVALUATE_OPTION_KEYS, where);
    this.#checkLive(where);
    if (!this.built) fail('NOT_BUILT', `${where}: the model's inputShape is not known; pass sequential(layers, { inputShape }) or fit() first`);
    checkInputs(x, 'x', where, this.#inputShape![0], this.dtype);
    const batchSize = opts.batchSize === undefined ? EVAL_BATCH_SIZE : checkPositiveInt(opts.batchSize, 'batchSize', where);
    return predictInBatches(this, x, batchSize);
  }

  /**
   * Loss (with regularization) and metrics on a data set, in inference mode.
   *
   * @param y - targets in any form fit takes
   * @returns `{ loss, accuracy?, …metrics }`
   * @example
   * const { loss, accuracy } = model.evaluate(xTest, yTest);
   */
  evaluate(x: Tensor, y: Tensor | ArrayLike<number>, opts: EvaluateOptions = {}): { loss: number; [metric: string]: number } {
    const where = 'evaluate()';
    checkOptionKeys(opts, EVALUATE_OPTION_KEYS, where);
    this.#checkLive(where);
    if (!this.built) fail('NOT_BUILT', `${where}: the model's inputShape is not known; pass sequential(layers, { inputShape }) or fit() first`);
    const { loss } = this.#compiled(where);
    checkInputs(x, 'x', where, this.#inputShape![0], this.dtype);
    const batchSize = opts.batchSize === undefined ? EVAL_BATCH_SIZE : checkPositiveInt(opts.batchSize, 'batchSize', where);
    const { targets, made } = checkTargets(y, loss, x.shape[0], this.outputShape[0], this.dtype, where);
    try {
      return evaluateInBatches(this, x, targets, batchSize);
    } finally {
      made?.dispose();
    }
  }

  /** Σ over layers of their regularization cost for m training examples. */
  regularizationPenalty(m: number): number {
    let p = 0;
    for (const layer of this.layers) p += layer.regularizationPenalty(m);
    return p;
  }

  /** Trainable tensors with their gradients (from the last training step), in layer order. */
  parameters(): Param[] {
    return this.#params;
  }

  /**
   * Every weight in the TensorFlow.js order (dense: kernel, bias; batch norm: gamma, beta,
   * movingMean, movingVariance). As in TensorFlow.js these are the live tensors that training
   * updates in place: clone what you keep (`clone(w)`), and do not dispose them.
   */
  getWeights(): Tensor[] {
    this.#requireBuilt('getWeights()');
    return this.liveWeights();
  }

  /** The live weight tensors in the TensorFlow.js order (do not dispose). */
  liveWeights(): Tensor[] {
    return this.layers.flatMap((l) => l.liveWeights());
  }

  /** Copies `weights` (in `getWeights()` order and shapes) into the model. */
  setWeights(weights: Tensor[]): void {
    this.#requireBuilt('setWeights()');
    const own = this.liveWeights();
    if (!Array.isArray(weights) || weights.length !== own.length) {
      fail('INVALID_ARGUMENT', `setWeights(): got ${Array.isArray(weights) ? weights.length : String(weights)} tensors; the model has ${own.length}`);
    }
    own.forEach((w, i) => {
      if (!(weights[i] instanceof Tensor) || weights[i].shape.join() !== w.shape.join()) {
        fail('SHAPE_MISMATCH', `setWeights(): weight ${i} has shape ${weights[i] instanceof Tensor ? shapeText(weights[i].shape) : String(weights[i])}; expected ${shapeText(w.shape)}`);
      }
    });
    own.forEach((w, i) => {
      w.assign(weights[i].dtype === w.dtype ? weights[i] : weights[i].toArray());
    });
  }

  /**
   * The trainable parameters as an object by layer and weight name, e.g.
   * `{ dense_1: { kernel, bias }, batch_normalization_1: { gamma, beta } }` (layers without
   * parameters are left out), for `apply` and `valueAndGrad`. These are the live tensors that
   * training updates in place (as `getWeights()`): do not dispose them; clone what you keep.
   * @example
   * const { value, grad } = valueAndGrad((p) => myLoss(y, model.apply(p, x, { training: true })))(model.params());
   */
  params(): ModelParams {
    this.#checkLive('params()');
    this.#requireBuilt('params()');
    return modelParams(this);
  }

  /**
   * The forward pass as a function of `params` (shaped like `params()`), written with
   * differentiable tensor ops, so that gradients of anything computed from it can be taken with
   * `grad` / `valueAndGrad`. Batch norm uses the batch's statistics in training mode and its
   * running statistics otherwise; apply never updates the running statistics (it changes no
   * state). Dropout in training mode needs `seed` or `rng`. Non-trainable weights (running
   * statistics) are the model's own.
   *
   * @param params - e.g. `model.params()`, or tensors of the same shapes
   * @param x - [examples, features] of the model's dtype
   * @param opts - training, seed, rng
   * @returns a new Tensor [examples, outputs] (intermediates belong to the caller's scope)
   * @example
   * const logits = scope(() => model.apply(model.params(), x));
   */
  apply(params: ModelParams, x: Tensor, opts: ApplyOptions = {}): Tensor {
    this.#checkLive('apply()');
    return applyModel(this, params, x, opts);
  }

  /**
   * The layers as a Keras-style table: name (class), output shape, parameter count, and the totals.
   * @returns the text (print it with console.log)
   * @example
   * console.log(model.summary());
   */
  summary(): string {
    this.#checkLive('summary()');
    this.#requireBuilt('summary()');
    return modelSummary(this);
  }

  /** Number of trainable scalars. */
  countParams(): number {
    return this.#params.reduce((n, p) => n + p.value.size, 0);
  }

  /** Keras-style config: the layers' class names and configs. */
  getConfig(): { name: string; layers: { className: string; config: Record<string, unknown> }[] } {
    return { name: 'sequential', layers: this.layers.map((l) => ({ className: l.className, config: l.getConfig() })) };
  }

  /**
   * Saves the model in the TensorFlow.js layers-model format (model.json + the weight file it names; in a folder, replaced atomically).
   *
   * @param target - a directory (Node), `indexeddb://name` (browser), a handler, or nothing (in memory)
   * @param opts - includeOptimizer, dtype ('float32' for TensorFlow.js, 'float64' for full precision)
   * @returns the saved `{ modelJson, weights }`
   * @example
   * await model.save('./my-model'); const copy = await loadModel('./my-model');
   */
  save(target?: SaveTarget, opts: SaveOptions = {}): Promise<ModelArtifacts> {
    try {
      this.#checkLive('save()');
    } catch (e) {
      return Promise.reject(e);
    }
    return saveModel(this, target, opts);
  }

  /**
   * Frees every weight and buffer, and the optimizer's state when the optimizer is the model's own
   * (the one `loadModel` restored). An optimizer you passed to `compile` or `fit` stays yours: it
   * keeps its state (for this model's parameters) until you call its `dispose()`, so you can share
   * it between models or keep using it. Disposing twice is harmless; any other use afterwards throws
   * `DISPOSED`.
   *
   * @example
   * const opt = adam(); model.compile({ loss: 'softmaxCrossEntropy', optimizer: opt });
   * await model.fit(x, y); model.dispose(); opt.dispose();
   */
  dispose(): void {
    for (const l of this.layers) l.dispose();
    this.#lossGrad?.dispose();
    this.#targetRows?.dispose();
    if (this.#ownsOptimizer) this.#optimizer?.dispose?.();
    this.#ownsOptimizer = false;
    this.#disposed = true;
  }

  /** True once `dispose()` was called. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  #checkLive(where: string): void {
    if (this.#disposed) fail('DISPOSED', `${where}: the model was disposed; build or load a new one`);
  }

  #compiled(where: string): { loss: Loss; optimizer: Optimizer } {
    if (!this.#loss || !this.#optimizer) fail('NOT_COMPILED', `${where}: call model.compile({ loss, optimizer }) first`);
    return { loss: this.#loss, optimizer: this.#optimizer };
  }

  #requireBuilt(where: string): void {
    if (!this.built) fail('NOT_BUILT', `${where}: the model has no weights yet; pass sequential(layers, { inputShape }) or fit() first`);
  }

}

/** Sets the loss, optimizer and metrics fit runs with (its own, or the compiled ones). Not exported from the package. */
export function setTraining(model: Sequential, loss: Loss, optimizer: Optimizer, metrics: { name: string; fn: MetricFunction | null }[]): void {
  setTrainingOf(model, loss, optimizer, metrics);
}

/**
 * Compiles `model` with an optimizer the model owns from now on (created for it, as loadModel does):
 * `model.dispose()` frees its state. Not exported from the package.
 */
export function compileWithOwnOptimizer(model: Sequential, opts: CompileOptions): void {
  model.compile(opts);
  adoptOptimizer(model, opts.optimizer);
}

/** Layers drawing from a random stream of their own while training: dropout and custom layers. */
function hasStream(l: Layer): l is Dropout | CustomLayer {
  return l instanceof Dropout || l instanceof CustomLayer;
}

function checkInputShape(shape: unknown): void {
  if (!Array.isArray(shape) || shape.length !== 1 || !Number.isInteger(shape[0]) || shape[0] < 1) {
    fail('INVALID_SHAPE', `sequential(): inputShape must be [features] with a positive integer, got ${JSON.stringify(shape)}`);
  }
}

/** Checks the structural optimizer interface. */
export function checkOptimizer(optimizer: unknown, where: string): Optimizer {
  if (!optimizer || typeof (optimizer as Optimizer).step !== 'function') {
    fail('INVALID_ARGUMENT', `${where}: optimizer must have step(params), e.g. adam({ learningRate: 1e-3 }), got ${describeValue(optimizer)}`);
  }
  return optimizer as Optimizer;
}

const DEFAULT_NAMES: Record<string, string> = { Dense: 'dense', BatchNormalization: 'batch_normalization', Dropout: 'dropout', Activation: 'activation' };

/** Names unnamed layers dense_1, dense_2, … (Keras style) and refuses duplicates. */
function assignNames(layers: readonly Layer[]): void {
  const counts = new Map<string, number>();
  const taken = new Set(layers.map((l) => l.name).filter((n) => n !== undefined));
  if (taken.size !== layers.filter((l) => l.name !== undefined).length) fail('INVALID_ARGUMENT', 'sequential(): two layers have the same name');
  for (const layer of layers) {
    if (layer.name !== undefined) continue;
    // A custom layer's instances carry its class name as given (layerNorm_1), as its author wrote it.
    const base = layer instanceof CustomLayer ? layer.className : DEFAULT_NAMES[layer.className] ?? layer.className.toLowerCase();
    let n = counts.get(base) ?? 0;
    let name: string;
    do name = `${base}_${++n}`;
    while (taken.has(name));
    counts.set(base, n);
    taken.add(name);
    layer.name = name;
  }
}

/**
 * A model applying `layers` in order.
 *
 * @param layers - e.g. dense, batchNorm, activation, dropout layers
 * @param opts - inputShape, seed, dtype
 * @returns the model
 * @example
 * const model = sequential([dense(64, { activation: 'relu', init: 'he' }), dense(10)], { inputShape: [784], seed: 1 });
 */
export function sequential(layers: readonly Layer[], opts: SequentialOptions = {}): Sequential {
  return new Sequential(layers, opts);
}
