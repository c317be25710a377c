// The model as a function of its parameters: `model.params()` gives the trainable tensors as an
// object, and `model.apply(params, x)` computes the forward pass from them with differentiable
// tensor ops only, so that `valueAndGrad(p => loss(model.apply(p, x)))(model.params())` works and a
// training loop can be written by hand. Dense and batch norm run the layers' own fused (and
// differentiable) kernels into fresh tensors; the layers' buffers are not used.
import {
  affine, batchNormNormalize, batchNormStatistics, checkOptionKeys, clone, createRng, denseForward, describeValue, leakyRelu, mul, relu, type Rng, sigmoid,
  softmax, sqrt, tanh, Tensor, tensor, tensorHint, zeros,
} from '@nnkit/tensor-wasm';
import { Activation } from './activation-layer';
import type { ActivationName } from './activations';
import { BatchNorm } from './batch-norm';
import { CustomLayer } from './custom-layer';
import { checkInputs } from './data-checks';
import { Dense } from './dense';
import { Dropout } from './dropout';
import { fail, shapeText } from './errors';
import type { Layer } from './layer';
import type { Sequential } from './sequential';

/** A model's parameters by layer name and weight name, e.g. `{ dense_1: { kernel, bias } }`. */
export type ModelParams = Record<string, Record<string, Tensor>>;

/** Options of `model.apply`. */
export interface ApplyOptions {
  /** Training mode: batch statistics in batch norm, masks in dropout (default false). */
  training?: boolean;
  /** Seed of the dropout masks in training mode (or give `rng`). */
  seed?: number;
  /** Generator of the dropout masks in training mode (a `createRng()` stream; it advances). */
  rng?: Rng;
}

const APPLY_OPTION_KEYS = ['training', 'seed', 'rng'] as const satisfies readonly (keyof ApplyOptions)[];

/** The weight's name inside its layer: `dense_1/kernel` → `kernel`. */
function localName(paramName: string): string {
  return paramName.slice(paramName.lastIndexOf('/') + 1);
}

/** Each layer's trainable tensors by weight name; layers without any are left out. */
export function modelParams(model: Sequential): ModelParams {
  const out: ModelParams = {};
  for (const layer of model.layers) {
    const params = layer.parameters();
    if (params.length > 0) out[layer.name!] = Object.fromEntries(params.map((p) => [localName(p.name), p.value]));
  }
  return out;
}

/** The forward pass of `model` with `params` in place of its trainable weights, from differentiable ops. */
export function applyModel(model: Sequential, params: unknown, x: unknown, opts: ApplyOptions = {}): Tensor {
  const where = 'apply()';
  checkOptionKeys(opts, APPLY_OPTION_KEYS, where);
  if (!model.built) fail('NOT_BUILT', `${where}: the model has no weights yet; pass sequential(layers, { inputShape }) or fit() first`);
  const input = checkInputs(x, 'x', where, model.inputShape![0], model.dtype);
  const training = opts.training ?? false;
  if (typeof training !== 'boolean') fail('INVALID_ARGUMENT', `${where}: training must be a boolean, got ${describeValue(training)}`);
  const byLayer = checkParams(model, params, where);
  const rng: Rng | null = opts.rng ?? (opts.seed === undefined ? null : createRng(opts.seed));
  if (opts.rng !== undefined && (opts.rng === null || typeof opts.rng.fillBernoulli !== 'function')) {
    fail('INVALID_ARGUMENT', `${where}: rng must be a generator made by createRng(seed), got ${describeValue(opts.rng)}`);
  }
  const dropping = training && model.layers.some((l) => l instanceof Dropout && l.rate > 0);
  if (dropping && rng === null) {
    fail('INVALID_ARGUMENT', `${where}: training mode draws dropout masks: pass { seed } or { rng } so that they are reproducible`);
  }
  let h = input;
  for (const layer of model.layers) h = applyLayer(layer, byLayer.get(layer) ?? {}, h, training, rng);
  // The result is the caller's, even when every layer passed x through.
  return h === input ? clone(input) : h;
}

/** Checks `params` against the model's parameters: every tensor present, of the right shape and dtype. */
function checkParams(model: Sequential, params: unknown, where: string): Map<Layer, Record<string, Tensor>> {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    fail('INVALID_ARGUMENT', `${where}: params must be an object like model.params() ({ dense_1: { kernel, bias }, … }), got ${describeValue(params)}`);
  }
  const given = params as Record<string, unknown>;
  const own = modelParams(model);
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(own, key)) fail('INVALID_ARGUMENT', `${where}: params.${key} names no layer with parameters; the model's are ${Object.keys(own).join(', ')}`);
  }
  const out = new Map<Layer, Record<string, Tensor>>();
  for (const layer of model.layers) {
    const mine = own[layer.name!];
    if (!mine) continue;
    const theirs = given[layer.name!];
    if (theirs === null || typeof theirs !== 'object') fail('INVALID_ARGUMENT', `${where}: params.${layer.name} is ${describeValue(theirs)}; expected { ${Object.keys(mine).join(', ')} }`);
    const entries: Record<string, Tensor> = {};
    for (const [name, w] of Object.entries(mine)) {
      const t = (theirs as Record<string, unknown>)[name];
      const path = `params.${layer.name}.${name}`;
      if (!(t instanceof Tensor)) fail('INVALID_ARGUMENT', `${where}: ${path} must be a Tensor ${shapeText(w.shape)}, got ${describeValue(t)}${tensorHint(t)}`);
      if (t.isDisposed) fail('DISPOSED', `${where}: ${path} (tensor #${t.id}) was used after dispose()`);
      if (t.shape.join() !== w.shape.join()) fail('SHAPE_MISMATCH', `${where}: ${path} has shape ${shapeText(t.shape)}; expected ${shapeText(w.shape)}`);
      if (t.dtype !== w.dtype) fail('DTYPE_MISMATCH', `${where}: ${path} is ${t.dtype} but the model is ${w.dtype}`);
      entries[name] = t;
    }
    out.set(layer, entries);
  }
  return out;
}

function activate(name: ActivationName, z: Tensor, alpha: number): Tensor {
  switch (name) {
    case 'relu':
      return relu(z);
    case 'leakyRelu':
      return leakyRelu(z, alpha);
    case 'sigmoid':
      return sigmoid(z);
    case 'tanh':
      return tanh(z);
    case 'softmax':
      return softmax(z, -1);
    case 'linear':
      return z;
  }
}

/** One layer's forward pass as a function of its parameters `p`. */
function applyLayer(layer: Layer, p: Record<string, Tensor>, x: Tensor, training: boolean, rng: Rng | null): Tensor {
  if (layer instanceof Dense) {
    // The fused op the layer runs (product, bias and activation in one recorded op); softmax after it.
    const fused = layer.activation === 'softmax' ? 'linear' : layer.activation;
    const z = denseForward(x, p.kernel, layer.useBias ? p.bias : null, { activation: fused, alpha: layer.alpha });
    return layer.activation === 'softmax' ? softmax(z, -1) : z;
  }
  if (layer instanceof BatchNorm) return applyBatchNorm(layer, p, x, training);
  if (layer instanceof Dropout) {
    if (!training || layer.rate === 0) return x;
    // The layer's own mask rule: one draw per unit, kept with probability 1 − rate and scaled by 1/(1 − rate).
    const keep = 1 - layer.rate;
    const values = x.dtype === 'float32' ? new Float32Array(x.size) : new Float64Array(x.size);
    rng!.fillBernoulli(values, keep, 1 / keep); // applyModel checked that there is one
    return mul(x, tensor(values, x.shape, x.dtype));
  }
  if (layer instanceof Activation) return activate(layer.activation, x, layer.alpha);
  if (layer instanceof CustomLayer) return layer.applyWith(p, x, training, rng ?? undefined);
  return fail('UNSUPPORTED_LAYER', `apply(): ${layer.label} of class ${layer.className} has no functional form`);
}

/**
 * Batch norm through the fused ops the layer runs, into fresh tensors: the batch's statistics (the
 * biased variance, as in the layer) in training mode, the running ones otherwise. The running
 * statistics are not updated.
 */
function applyBatchNorm(layer: BatchNorm, p: Record<string, Tensor>, x: Tensor, training: boolean): Tensor {
  const [m, n] = x.shape;
  const out = { xhat: zeros([m, n], x.dtype), out: zeros([m, n], x.dtype) };
  if (training) {
    if (m < 2) fail('INVALID_BATCH', `apply(): ${layer.label} in training mode needs at least 2 rows to estimate a variance, got x ${shapeText(x.shape)}`);
    const stats = { mean: zeros([n], x.dtype), variance: zeros([n], x.dtype), std: zeros([n], x.dtype), epsilon: layer.epsilon };
    batchNormStatistics(x, stats);
    return batchNormNormalize(x, stats.mean, stats.std, p.gamma, p.beta, out);
  }
  const [, , movingMean, movingVariance] = layer.liveWeights();
  return batchNormNormalize(x, movingMean, sqrt(affine(movingVariance, 1, layer.epsilon)), p.gamma, p.beta, out);
}
