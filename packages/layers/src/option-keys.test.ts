// Every public factory of layers refuses an option it does not know, naming the valid ones, so a
// typo cannot silently leave a default in place.
import { adam } from '@nnkit/optimizers';
import { init, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { activation, batchNorm, dense, dropout, gradCheck, modelCheckpoint, sequential } from './index';

beforeAll(() => init());

test('layer factories name the unknown key and the valid ones', () => {
  expect(() => dense(4, { activaton: 'relu' } as never)).toThrow(
    'dense(): unknown option "activaton"; expected one of activation, alpha, init, useBias, regularizer, name',
  );
  expect(() => batchNorm({ Momentum: 0.9 } as never)).toThrow(
    'batchNorm(): unknown option "Momentum" (did you mean "momentum"?); expected one of momentum, epsilon, name',
  );
  expect(() => dropout(0.2, { rate: 0.3 } as never)).toThrow('dropout(): unknown option "rate"; expected one of name');
  expect(() => activation('leakyRelu', { slope: 0.2 } as never)).toThrow('activation(): unknown option "slope"; expected one of alpha, name');
});

test('the model, compile, evaluate and the helpers around them do too', async () => {
  expect(() => sequential([dense(2)], { inputshape: [2] } as never)).toThrow(
    'sequential(): unknown option "inputshape" (did you mean "inputShape"?); expected one of inputShape, seed, dtype',
  );
  const model = sequential([dense(2)], { inputShape: [2], seed: 1 });
  const optimizer = adam();
  expect(() => model.compile({ loss: 'softmaxCrossEntropy', optimizer, learningrate: 0.1 } as never)).toThrow(
    'compile(): unknown option "learningrate"; expected one of loss, optimizer, metrics',
  );
  model.compile({ loss: 'softmaxCrossEntropy', optimizer });
  const x = tensor([1, 2, 3, 4], [2, 2]);
  expect(() => model.evaluate(x, [0, 1], { batch: 1 } as never)).toThrow('evaluate(): unknown option "batch" (did you mean "batchSize"?); expected one of batchSize');
  expect(() => model.trainStep(x, [0, 1], { m: 2 } as never)).toThrow('trainStep(): unknown option "m"; expected one of trainingExamples');
  expect(() => model.predict(x, { batchsize: 1 } as never)).toThrow('predict(): unknown option "batchsize" (did you mean "batchSize"?)');
  expect(() => gradCheck(model, x, [0, 1], { eps: 1e-7 } as never)).toThrow('gradCheck(): unknown option "eps" (did you mean "epsilon"?); expected one of loss, epsilon,');
  expect(() => modelCheckpoint({ path: '/tmp/m', epoch: 2 } as never)).toThrow('modelCheckpoint(): unknown option "epoch"; expected one of path, every,');
  await expect(model.save(undefined, { dtpye: 'float64' } as never)).rejects.toThrow('save(): unknown option "dtpye"; expected one of includeOptimizer, dtype,');
  model.dispose();
  optimizer.dispose();
  x.dispose();
});
