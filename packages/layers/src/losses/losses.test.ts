import { init, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import fixture from '../../test/fixtures/torch-reference.json';
import { maxRelError } from '../test-utils';
import { meanSquaredError, sigmoidCrossEntropy, softmaxCrossEntropy } from './index';

// PyTorch float64 references; float32 logits of ±1000 are exact, so only the loss's rounding remains.
const TOL = 1e-6;

beforeAll(async () => {
  await init();
});

describe('softmaxCrossEntropy against PyTorch cross_entropy, logits of ±1000', () => {
  const ref = fixture.softmaxCrossEntropy;
  const [m, k] = ref.shape;
  test.each(['float32', 'float64'] as const)('class ids, %s', (dtype) => {
    const { loss, grad } = softmaxCrossEntropy(tensor(ref.logits, [m, k], dtype), new Int32Array(ref.labels));
    expect(Number.isFinite(loss)).toBe(true);
    expect(Math.abs(loss - ref.loss) / ref.loss).toBeLessThan(TOL);
    expect(maxRelError(grad.toArray(), ref.grad)).toBeLessThan(TOL);
    grad.dispose();
  });
  test('one-hot rows give the same loss and gradient as class ids', () => {
    const onehot = new Float64Array(m * k);
    ref.labels.forEach((c, i) => { onehot[i * k + c] = 1; });
    const { loss, grad } = softmaxCrossEntropy(tensor(ref.logits, [m, k], 'float64'), tensor(onehot, [m, k], 'float64'));
    expect(Math.abs(loss - ref.loss) / ref.loss).toBeLessThan(1e-12);
    expect(maxRelError(grad.toArray(), ref.grad)).toBeLessThan(1e-12);
  });
  test('labels out of range, wrong count or wrong shape are refused', () => {
    const logits = tensor(ref.logits, [m, k]);
    expect(() => softmaxCrossEntropy(logits, [0, 1, 3, 0])).toThrow(/label 3 at index 2 is not a class id in \[0, 2\]/);
    expect(() => softmaxCrossEntropy(logits, [0, 1, 1.5, 0])).toThrow(/label 1.5 at index 2/);
    expect(() => softmaxCrossEntropy(logits, [0, 1])).toThrow(/got 2 class ids for 4 examples/);
    expect(() => softmaxCrossEntropy(logits, tensor(new Float32Array(8), [4, 2]))).toThrow(/labels of shape \[4, 2\] does not fit 4 examples and 3 outputs/);
  });
});

test('sigmoidCrossEntropy against PyTorch binary_cross_entropy_with_logits, logits of ±1000', () => {
  const ref = fixture.sigmoidCrossEntropy;
  for (const dtype of ['float32', 'float64'] as const) {
    const { loss, grad } = sigmoidCrossEntropy(tensor(ref.logits, ref.shape, dtype), tensor(ref.targets, ref.shape, dtype));
    expect(Math.abs(loss - ref.loss) / ref.loss).toBeLessThan(TOL);
    expect(maxRelError(grad.toArray(), ref.grad)).toBeLessThan(TOL);
  }
});

test('meanSquaredError against PyTorch mse_loss', () => {
  const ref = fixture.meanSquaredError;
  const { loss, grad } = meanSquaredError(tensor(ref.pred, ref.shape, 'float64'), tensor(ref.target, ref.shape, 'float64'));
  expect(Math.abs(loss - ref.loss)).toBeLessThan(1e-12);
  expect(maxRelError(grad.toArray(), ref.grad)).toBeLessThan(1e-12);
});
