import { moons } from '@nnkit/data';
import { adam } from '@nnkit/optimizers';
import { l2 } from '@nnkit/regularizers';
import { add, cast, init, memory, mul, NnkitError, ones, randn, scope, tensor, type Tensor } from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import fixture from '../test/fixtures/torch-reference.json';
import { layer, registerLayer } from './custom-layer';
import { dense } from './dense';
import { gradCheck } from './grad-check';
import { loadModel } from './io/load-model';
import { sequential } from './sequential';
import { badScale, layerNorm, residualBlock } from './test-layers';
import { plainSgd, relativeError } from './test-utils';

beforeAll(async () => {
  await init();
});

const ref = fixture.customLayers;

function referenceModel() {
  const model = sequential([dense(4, { activation: 'tanh' }), layerNorm(), residualBlock(), dense(3)], { inputShape: [3], dtype: 'float64', seed: 1 });
  const shapes: Record<string, number[]> = {
    d1Kernel: [3, 4], d1Bias: [4], lnGamma: [4], lnBeta: [4], resW1: [4, 4], resB1: [4], resW2: [4, 4], resB2: [4], d2Kernel: [4, 3], d2Bias: [3],
  };
  model.setWeights(ref.order.map((k) => tensor(ref.weights[k as keyof typeof ref.weights], shapes[k], 'float64')));
  return model;
}

describe('layer(): a layer norm and a residual block defined by their forward pass', () => {
  test('instances are named <name>_1, <name>_2; the parameters carry the weight names', () => {
    const model = sequential([layerNorm(), dense(2), layerNorm({ name: 'ln', epsilon: 1e-3 }), layerNorm()], { inputShape: [2] });
    expect(model.layers.map((l) => l.name)).toEqual(['LayerNorm_1', 'dense_1', 'ln', 'LayerNorm_2']);
    expect(model.parameters().map((p) => p.name)).toEqual([
      'LayerNorm_1/gamma', 'LayerNorm_1/beta', 'dense_1/kernel', 'dense_1/bias', 'ln/gamma', 'ln/beta', 'LayerNorm_2/gamma', 'LayerNorm_2/beta',
    ]);
    expect(model.getConfig().layers[2]).toEqual({ className: 'LayerNorm', config: { name: 'ln', epsilon: 1e-3 } });
    expect(model.summary().split('\n').slice(4, 9)).toEqual([
      'LayerNorm_1 (LayerNorm)  [null, 2]     4',
      'dense_1 (Dense)          [null, 2]     6',
      'ln (LayerNorm)           [null, 2]     4',
      'LayerNorm_2 (LayerNorm)  [null, 2]     4',
      expect.stringMatching(/^─+$/),
    ]);
    expect(model.summary()).toContain('Total params: 18 (trainable: 18, non-trainable: 0)');
    // The residual block's output shape was inferred from a forward pass.
    const res = sequential([residualBlock()], { inputShape: [5] });
    expect(res.outputShape).toEqual([5]);
    model.dispose();
    res.dispose();
  });

  test('the fused training step gives PyTorch autograd\'s gradients (float64, 1e-9 relative per tensor)', () => {
    const model = referenceModel();
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: plainSgd(0) });
    const x = tensor(ref.x, [6, 3], 'float64');
    const loss = model.trainStep(x, ref.labels);
    expect(Math.abs(loss - ref.loss)).toBeLessThan(1e-12);
    const params = model.parameters();
    expect(params.map((p) => p.name)).toEqual([
      'dense_1/kernel', 'dense_1/bias', 'LayerNorm_1/gamma', 'LayerNorm_1/beta', 'Residual_1/w1', 'Residual_1/b1', 'Residual_1/w2', 'Residual_1/b2',
      'dense_2/kernel', 'dense_2/bias',
    ]);
    params.forEach((p, i) => {
      const err = relativeError(p.grad.toArray(), ref.grads[ref.order[i] as keyof typeof ref.grads]);
      expect(err, p.name).toBeLessThan(1e-9);
    });
    // predict (inference) gives PyTorch's logits too.
    const logits = model.predict(x);
    expect(relativeError(logits.toArray(), ref.logits)).toBeLessThan(1e-12);
    logits.dispose();
    x.dispose();
    model.dispose();
  });

  test('gradCheck passes for the custom layers and fails for a deliberately wrong customGrad rule', () => {
    const x = tensor(ref.x, [6, 3], 'float64');
    const good = referenceModel();
    const ok = gradCheck(good, x, ref.labels, { loss: 'softmaxCrossEntropy' });
    expect(ok.passed).toBe(true);
    expect(ok.relativeDifference).toBeLessThan(1e-8);
    const bad = sequential([dense(4, { activation: 'tanh' }), badScale(), dense(3)], { inputShape: [3], dtype: 'float64', seed: 3 });
    const wrong = gradCheck(bad, x, ref.labels, { loss: 'softmaxCrossEntropy' });
    expect(wrong.passed).toBe(false);
    expect(wrong.relativeDifference).toBeGreaterThan(1e-2);
    expect(wrong.worst[0].name).toBe('BadScale_1/g');
    // The wrong rule doubles g's gradient.
    expect(wrong.worst[0].analytic / wrong.worst[0].numeric).toBeCloseTo(2, 5);
    for (const t of [x]) t.dispose();
    good.dispose();
    bad.dispose();
  });

  test('fit trains a model with custom layers on moons; memory stays flat over the steps; evaluate and setWeights', async () => {
    const { x, labels } = moons({ n: 300, noise: 0.15, seed: 4 });
    const model = sequential([dense(16, { activation: 'tanh' }), layerNorm(), residualBlock(), dense(2)], { inputShape: [2], seed: 2 });
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.02 }), metrics: ['accuracy'] });
    const seen: { tensors: number; bytes: number }[] = [];
    const before = memory();
    const history = await model.fit(x, labels, { epochs: 30, batchSize: 32, callbacks: [{ onEpochEnd: () => { seen.push(memory()); } }] });
    // After the first epoch (buffers and optimizer moments made), nothing more is kept.
    expect(seen.at(-1)).toEqual(seen[1]);
    expect(history.epochs.at(-1)!.accuracy).toBeGreaterThan(0.95);
    expect(model.evaluate(x, labels).accuracy).toBeGreaterThan(0.95);
    // getWeights/setWeights: another model given these weights predicts the same.
    const copy = sequential([dense(16, { activation: 'tanh' }), layerNorm(), residualBlock(), dense(2)], { inputShape: [2], seed: 9 });
    copy.setWeights(model.getWeights());
    const [a, b] = [model.predict(x), copy.predict(x)];
    expect(Array.from(b.toArray())).toEqual(Array.from(a.toArray()));
    a.dispose();
    b.dispose();
    copy.dispose();
    model.dispose();
    x.dispose();
    expect(memory().tensors).toBeLessThanOrEqual(before.tensors);
  });

  test('trainStep with custom layers keeps memory() equal from the second step on, and dispose frees everything', () => {
    const before = memory();
    const model = sequential([dense(8, { activation: 'relu' }), layerNorm(), residualBlock(), dense(2)], { inputShape: [2], seed: 1 });
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.01 }) });
    const x = tensor([0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8], [4, 2]);
    const labels = [0, 1, 1, 0];
    model.trainStep(x, labels);
    const afterFirst = memory();
    for (let i = 0; i < 50; i++) model.trainStep(x, labels);
    expect(memory()).toEqual(afterFirst);
    model.dispose();
    x.dispose();
    // Only the optimizer's moments (the caller's, not the model's) remain: one m and one v per parameter.
    expect(memory().tensors).toBe(before.tensors + 2 * 10);
  });

  test('the example of the API contract: build returns { params, outputShape }; a float32 weight joins a float64 model', () => {
    const scaleShift = layer({
      name: 'scaleShift',
      build: (inputShape, { rng: _rng, dtype: _dtype }) => ({ params: { g: ones([inputShape.at(-1)!]) }, outputShape: inputShape }),
      forward: (params, x, { training: _training, rng: _rng }) => add(mul(x, params.g), 1),
    });
    const model = sequential([scaleShift()], { inputShape: [2], dtype: 'float64' });
    expect(model.layers[0].name).toBe('scaleShift_1');
    expect(model.getWeights()[0].dtype).toBe('float64');
    model.setWeights([tensor([2, 3], [2], 'float64')]);
    const y = model.predict(tensor([1, 1, 2, 2], [2, 2], 'float64'));
    expect(Array.from(y.toArray())).toEqual([3, 4, 5, 7]);
    y.dispose();
    model.dispose();
  });

  test('a weight regularizer enters the cost and the gradient (λ/m·w for l2)', () => {
    const scaled = layer({
      name: 'Scaled',
      build: ([n], ctx) => {
        ctx.addWeight('g', [n], { init: 'ones', regularizer: l2(0.5) });
        return [n];
      },
      forward: (w, x) => mul(x, w.g),
    });
    const model = sequential([scaled()], { inputShape: [2], dtype: 'float64' });
    model.compile({ loss: 'meanSquaredError', optimizer: plainSgd(0) });
    const x = tensor([1, 2, 3, 4], [2, 2], 'float64');
    const y = tensor([1, 2, 3, 4], [2, 2], 'float64');
    // Predictions equal the targets: only the penalty λ/(2m)·‖g‖² = 0.5/4·2 remains.
    expect(model.trainStep(x, y)).toBeCloseTo(0.25, 14);
    expect(Array.from(model.parameters()[0].grad.toArray())).toEqual([0.25, 0.25]);
    model.dispose();
  });
});

describe('save and load', () => {
  test('round trip with the factory passed or registered; without it, a clear error', async () => {
    const { x, labels } = moons({ n: 64, noise: 0.1, seed: 5 });
    const model = sequential([dense(8, { activation: 'relu' }), layerNorm({ epsilon: 1e-3 }), residualBlock(), dense(2)], { inputShape: [2], seed: 3 });
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.01 }) });
    await model.fit(x, labels, { epochs: 2, batchSize: 16 });
    const saved = await model.save();
    const layersJson = (saved.modelJson.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    expect(layersJson.map((l) => l.class_name)).toEqual(['Dense', 'LayerNorm', 'Residual', 'Dense']);
    expect(layersJson[1].config.epsilon).toBe(1e-3);
    expect(saved.modelJson.weightsManifest[0].weights.map((w) => w.name)).toContain('LayerNorm_1/gamma');

    const missing = await loadModel(saved).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NnkitError);
    expect((missing as NnkitError).code).toBe('UNSUPPORTED_LAYER');
    expect((missing as NnkitError).message).toMatch(/'LayerNorm'.*layer\(\{ name: 'LayerNorm'.*loadModel\(source, \{ layers: \[/);

    const expected = model.predict(x).toArray();
    const loaded = await loadModel(saved, { layers: [layerNorm, residualBlock] });
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(Array.from(loaded.predict(x).toArray())).toEqual(Array.from(expected));
    expect(loaded.layers[1].getConfig()).toEqual({ name: 'LayerNorm_1', epsilon: 1e-3 });
    loaded.dispose();

    // A factory of the same class name whose build makes other weights is refused.
    const other = layer({ name: 'LayerNorm', build: ([n], ctx) => { ctx.addWeight('scale', [n]); return [n]; }, forward: (w, x) => mul(x, w.scale) });
    await expect(loadModel(saved, { layers: [other, residualBlock] })).rejects.toThrow(/LayerNorm 'LayerNorm_1' built the weights \[scale\]; the file holds \[gamma, beta\]/);
    registerLayer(layerNorm);
    registerLayer(residualBlock);
    const again = await loadModel(saved);
    expect(Array.from(again.predict(x).toArray())).toEqual(Array.from(expected));
    again.dispose();
    model.dispose();
  });
});

test('a custom layer drawing from ctx.rng: 2 epochs + save + load + 2 epochs equals 4 epochs, bit for bit', async () => {
  const noise = layer({
    name: 'Noise',
    build: ([n]) => [n],
    // Training adds N(0, 0.1²) noise drawn from the layer's own stream.
    forward: (_w, x, { training, rng }) => (training ? add(x, randn(x.shape, { rng, std: 0.1, dtype: x.dtype })) : add(x, 0)),
  });
  const { x, labels } = moons({ n: 64, noise: 0.1, seed: 8 });
  const make = () => {
    const model = sequential([dense(8, { activation: 'tanh' }), noise(), dense(2)], { inputShape: [2], seed: 4 });
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.01 }) });
    return model;
  };
  const straight = make();
  await straight.fit(x, labels, { epochs: 4, batchSize: 16 });
  const first = make();
  await first.fit(x, labels, { epochs: 2, batchSize: 16 });
  expect(Object.keys(first.randomState().dropout)).toEqual(['Noise_1']);
  const saved = await first.save(undefined, { includeOptimizer: true });
  first.dispose();
  const resumed = await loadModel(saved, { layers: [noise] });
  await resumed.fit(x, labels, { epochs: 4, initialEpoch: 2, batchSize: 16 });
  const bits = (m: typeof straight) => m.getWeights().map((w) => Array.from(w.toArray()));
  expect(bits(resumed)).toEqual(bits(straight));
  resumed.dispose();
  straight.dispose();
  x.dispose();
});

describe('bad input', () => {
  test('layer() checks its definition', () => {
    const forward = (_w: Record<string, Tensor>, x: Tensor) => x;
    const build = () => undefined;
    expect(() => layer({ name: 'my layer', build, forward })).toThrow(/name must be a class name.*'my layer'/);
    expect(() => layer({ name: 'Dense', build, forward })).toThrow(/'Dense' is a built-in layer class/);
    expect(() => layer({ name: 'X', build: 3 as never, forward })).toThrow(/build must be a function/);
    expect(() => layer({ name: 'X', build, forward: null as never })).toThrow(/forward must be a function/);
    const f = layer({ name: 'X', build, forward });
    expect(() => f({ trainable: false })).toThrow(/option 'trainable' is reserved/);
    expect(() => f({ fn: () => 1 })).toThrow(/options\.fn is the function fn; a custom layer's options are saved in model\.json, so they must be JSON/);
  });

  test('a forward pass of the wrong shape or a non-Tensor names the layer', () => {
    const wide = layer({ name: 'Wide', build: ([n]) => [n], forward: (_w, x) => cast(x, 'float64') });
    expect(() => sequential([wide()], { inputShape: [2] }).predict(tensor([1, 2], [1, 2]))).toThrow(/Wide 'Wide_1': forward returned float64 for a float32 input/);
    const nothing = layer({ name: 'Nothing', build: () => undefined, forward: () => 3 as never });
    expect(() => sequential([nothing()], { inputShape: [2] })).toThrow(/Nothing 'Nothing_1': forward must return a Tensor, got 3/);
    const rows = layer({ name: 'Rows', build: ([n]) => [n], forward: (_w, x) => scope(() => add(x.rows(0, 1), 0)) });
    expect(() => sequential([rows()], { inputShape: [2] }).predict(tensor([1, 2, 3, 4], [2, 2]))).toThrow(/Rows 'Rows_1': forward returned shape \[1, 2\] for an input \[2, 2\]; expected \[2, 2\]/);
  });
});
