import { init, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import fixture from '../test/fixtures/torch-reference.json';
import { activation } from './activation-layer';
import type { ActivationName } from './activations';
import { dense } from './dense';
import { softmaxCrossEntropy } from './losses/index';
import { sequential } from './sequential';
import { maxRelError } from './test-utils';

const ref = fixture.mlp;
const TOL = { float64: 1e-12, float32: 2e-5 } as const;

beforeAll(async () => {
  await init();
});

describe.each(Object.keys(ref.byActivation) as ActivationName[])('dense → %s → dense against PyTorch autograd', (act) => {
  test.each(['float64', 'float32'] as const)('%s: logits, loss and every gradient', (dtype) => {
    const r = ref.byActivation[act as keyof typeof ref.byActivation];
    const model = sequential([dense(ref.hidden, { activation: act }), dense(ref.classes)], { inputShape: [ref.inputs], dtype });
    model.setWeights([
      tensor(r.weights[0], [ref.inputs, ref.hidden], dtype), tensor(r.weights[1], [ref.hidden], dtype),
      tensor(r.weights[2], [ref.hidden, ref.classes], dtype), tensor(r.weights[3], [ref.classes], dtype),
    ]);
    const x = tensor(ref.x, [ref.labels.length, ref.inputs], dtype);
    const logits = model.forward(x, { training: true });
    expect(maxRelError(logits.toArray(), r.logits)).toBeLessThan(TOL[dtype]);
    const { loss, grad } = softmaxCrossEntropy(logits, ref.labels);
    expect(Math.abs(loss - r.loss)).toBeLessThan(TOL[dtype]);
    model.backward(grad);
    model.parameters().forEach((p, i) => {
      expect(maxRelError(p.grad.toArray(), r.grads[i]), p.name).toBeLessThan(TOL[dtype]);
    });
    model.dispose();
  });
});

test('an activation layer gives the same gradients as the fused dense activation', () => {
  const r = ref.byActivation.tanh;
  const fused = sequential([dense(ref.hidden, { activation: 'tanh' }), dense(ref.classes)], { inputShape: [ref.inputs], dtype: 'float64' });
  const split = sequential([dense(ref.hidden), activation('tanh'), dense(ref.classes)], { inputShape: [ref.inputs], dtype: 'float64' });
  const weights = [
    tensor(r.weights[0], [ref.inputs, ref.hidden], 'float64'), tensor(r.weights[1], [ref.hidden], 'float64'),
    tensor(r.weights[2], [ref.hidden, ref.classes], 'float64'), tensor(r.weights[3], [ref.classes], 'float64'),
  ];
  fused.setWeights(weights);
  split.setWeights(weights);
  const x = tensor(ref.x, [ref.labels.length, ref.inputs], 'float64');
  for (const model of [fused, split]) {
    const { grad } = softmaxCrossEntropy(model.forward(x, { training: true }), ref.labels);
    model.backward(grad);
  }
  for (const model of [fused, split]) {
    model.parameters().forEach((p, i) => {
      expect(maxRelError(p.grad.toArray(), r.grads[i]), p.name).toBeLessThan(1e-12);
    });
  }
});

test('softmax activation layer backward against PyTorch', () => {
  const r = fixture.softmaxActivation;
  const layer = activation('softmax');
  const y = layer.forward(tensor(r.x, r.shape, 'float64'));
  expect(maxRelError(y.toArray(), r.y)).toBeLessThan(1e-12);
  const dx = layer.backward(tensor(r.dy, r.shape, 'float64'))!;
  expect(maxRelError(dx.toArray(), r.dx)).toBeLessThan(1e-12);
});
