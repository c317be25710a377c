import { moons } from '@nnkit/data';
import {
  axpy, cast, createRng, init, logSoftmax, mean, memory, mul, neg, scope, sum, type Tensor, tensor, valueAndGrad,
} from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import fixture from '../test/fixtures/torch-reference.json';
import { activation } from './activation-layer';
import { batchNorm } from './batch-norm';
import { dense } from './dense';
import { dropout } from './dropout';
import { sequential } from './sequential';
import { layerNorm, residualBlock } from './test-layers';
import { plainSgd, relativeError } from './test-utils';

beforeAll(async () => {
  await init();
});

/** Mean softmax cross-entropy of logits against one-hot rows, from tensor ops. */
const crossEntropy = (yTrue: Tensor, logits: Tensor) => neg(mean(sum(mul(yTrue, logSoftmax(logits)), 1)));

function oneHot(ids: readonly number[], classes: number): Tensor {
  const v = new Float64Array(ids.length * classes);
  ids.forEach((c, i) => {
    v[i * classes + c] = 1;
  });
  return tensor(v, [ids.length, classes], 'float64');
}

describe('model.params() and model.apply()', () => {
  test('params() holds the live trainable tensors by layer and weight name', () => {
    const model = sequential([dense(4, { activation: 'relu' }), batchNorm(), dropout(0.1), layerNorm(), dense(2, { useBias: false })], { inputShape: [3] });
    const p = model.params();
    expect(Object.keys(p)).toEqual(['dense_1', 'batch_normalization_1', 'LayerNorm_1', 'dense_2']);
    expect(Object.keys(p.dense_1)).toEqual(['kernel', 'bias']);
    expect(Object.keys(p.batch_normalization_1)).toEqual(['gamma', 'beta']);
    expect(Object.keys(p.dense_2)).toEqual(['kernel']);
    expect(p.dense_1.kernel).toBe(model.getWeights()[0]);
    model.dispose();
  });

  test('the gradient of apply equals the fused training step\'s (dense, batch norm, activation, custom layers; float64)', () => {
    const { x, labels } = moons({ n: 12, noise: 0.2, seed: 3 });
    const x64 = cast(x, 'float64');
    const model = sequential(
      [dense(6, { init: 'he', useBias: false }), batchNorm(), activation('tanh'), layerNorm(), residualBlock(), dense(3, { activation: 'leakyRelu' }), dense(2)],
      { inputShape: [2], dtype: 'float64', seed: 8 },
    );
    const y = oneHot(Array.from(labels), 2);
    const movingBefore = model.getWeights()[3].toArray();
    const { value, grad } = valueAndGrad((p: ReturnType<typeof model.params>) => crossEntropy(y, model.apply(p, x64, { training: true })))(model.params());
    // apply changes no state: the running mean is untouched (a bias before batch norm has a zero gradient, so the dense layer has none).
    expect(Array.from(model.getWeights()[3].toArray())).toEqual(Array.from(movingBefore));
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: plainSgd(0) });
    const loss = model.trainStep(x64, y);
    expect(value.toArray()[0]).toBeCloseTo(loss, 13);
    for (const p of model.parameters()) {
      const [layerName, weight] = p.name.split('/');
      const g = (grad as Record<string, Record<string, Tensor>>)[layerName][weight];
      expect(relativeError(g.toArray(), p.grad.toArray()), p.name).toBeLessThan(1e-12);
    }
    model.dispose();
  });

  test('apply in inference mode gives predict\'s numbers bit for bit (dense with each activation, trained batch norm)', async () => {
    const { x, labels } = moons({ n: 64, noise: 0.2, seed: 4 });
    const model = sequential(
      [dense(8, { activation: 'relu' }), batchNorm(), dense(8, { activation: 'sigmoid', useBias: false }), dense(6, { activation: 'leakyRelu' }), dense(2, { activation: 'softmax' })],
      { inputShape: [2], seed: 2 },
    );
    model.compile({ loss: 'meanSquaredError', optimizer: plainSgd(0.1) });
    await model.fit(x, cast(oneHot(Array.from(labels), 2), 'float32'), { epochs: 2, batchSize: 16 });
    scope(() => {
      expect(Array.from(model.apply(model.params(), x).toArray())).toEqual(Array.from(model.predict(x).toArray()));
    });
    model.dispose();
  });

  test('the gradient of apply matches PyTorch autograd for the custom-layer model', () => {
    const ref = fixture.customLayers;
    const model = sequential([dense(4, { activation: 'tanh' }), layerNorm(), residualBlock(), dense(3)], { inputShape: [3], dtype: 'float64' });
    const shapes: Record<string, number[]> = {
      d1Kernel: [3, 4], d1Bias: [4], lnGamma: [4], lnBeta: [4], resW1: [4, 4], resB1: [4], resW2: [4, 4], resB2: [4], d2Kernel: [4, 3], d2Bias: [3],
    };
    model.setWeights(ref.order.map((k) => tensor(ref.weights[k as keyof typeof ref.weights], shapes[k], 'float64')));
    const x = tensor(ref.x, [6, 3], 'float64');
    const y = oneHot(ref.labels, 3);
    const { value, grad } = valueAndGrad((p: ReturnType<typeof model.params>) => crossEntropy(y, model.apply(p, x)))(model.params());
    expect(Math.abs(value.toArray()[0] - ref.loss)).toBeLessThan(1e-12);
    const flat = Object.values(grad).flatMap((layer) => Object.values(layer));
    flat.forEach((g, i) => {
      expect(relativeError(g.toArray(), ref.grads[ref.order[i] as keyof typeof ref.grads]), ref.order[i]).toBeLessThan(1e-9);
    });
    model.dispose();
  });

  test('a hand-written loop with valueAndGrad and apply: memory stays flat over 200 steps, and it learns', () => {
    const { x, labels } = moons({ n: 64, noise: 0.1, seed: 6 });
    const model = sequential([dense(8, { activation: 'relu', init: 'he' }), dropout(0.1), layerNorm(), dense(2)], { inputShape: [2], seed: 2 });
    const y = cast(oneHot(Array.from(labels), 2), 'float32');
    const rng = createRng(11);
    const step = () => scope(() => {
      const params = model.params();
      const { value, grad } = valueAndGrad((p: typeof params) => crossEntropy(y, model.apply(p, x, { training: true, rng })))(params);
      for (const [layer, ws] of Object.entries(params)) for (const [name, w] of Object.entries(ws)) axpy(-0.1, grad[layer][name], w);
      return value.toArray()[0];
    });
    const first = step();
    const before = memory();
    let last = first;
    for (let i = 0; i < 200; i++) last = step();
    expect(memory()).toEqual(before);
    expect(last).toBeLessThan(first / 2);
    model.dispose();
  });

  test('dropout in training mode: a seed gives the same masks; without one it is refused', () => {
    const model = sequential([dropout(0.5)], { inputShape: [4] });
    scope(() => {
      const x = tensor(Array.from({ length: 40 }, (_, i) => i + 1), [10, 4]);
      const a = model.apply({}, x, { training: true, seed: 3 }).toArray();
      const b = model.apply({}, x, { training: true, seed: 3 }).toArray();
      expect(Array.from(a)).toEqual(Array.from(b));
      // Kept units are doubled, dropped ones are 0.
      a.forEach((v, i) => {
        expect(v === 0 || v === 2 * (i + 1)).toBe(true);
      });
      expect(a.filter((v) => v === 0).length).toBeGreaterThan(5);
      // Inference: the identity (a copy the caller owns).
      expect(Array.from(model.apply({}, x).toArray())).toEqual(Array.from(x.toArray()));
      expect(() => model.apply({}, x, { training: true })).toThrow(/training mode draws dropout masks: pass \{ seed \} or \{ rng \}/);
    });
    model.dispose();
  });

  test('bad params and inputs name the entry and what was expected', () => {
    const model = sequential([dense(2)], { inputShape: [3], dtype: 'float64' });
    scope(() => {
      const x = tensor([1, 2, 3], [1, 3], 'float64');
      const p = model.params();
      expect(() => model.apply({ dense_1: { kernel: p.dense_1.kernel } }, x)).toThrow(/params\.dense_1\.bias must be a Tensor \[2\], got undefined/);
      expect(() => model.apply({ ...p, dense_9: {} }, x)).toThrow(/params\.dense_9 names no layer with parameters; the model's are dense_1/);
      expect(() => model.apply({ dense_1: { kernel: tensor([1, 2], [1, 2], 'float64'), bias: p.dense_1.bias } }, x)).toThrow(/params\.dense_1\.kernel has shape \[1, 2\]; expected \[3, 2\]/);
      expect(() => model.apply(p, cast(x, 'float32'))).toThrow(expect.objectContaining({ code: 'DTYPE_MISMATCH' }));
      expect(() => model.apply(p, x, { trainig: true } as never)).toThrow(/trainig/);
    });
    model.dispose();
  });
});
