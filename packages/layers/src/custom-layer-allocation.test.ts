// A custom layer inside fit keeps the training step's promise: after the first step a step reaches
// the WebAssembly allocator no more (the tensors its recorded pass makes each step come back from the
// buffer pool), and the live tensors stay flat.
import { moons } from '@nnkit/data';
import { adam } from '@nnkit/optimizers';
import { allocatorStats, concat, init, logSoftmax, mean, memory, mul, neg, sub, sum, type Tensor } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { dense } from './dense';
import { sequential } from './sequential';
import { layerNorm, residualBlock } from './test-layers';
import type { Callback } from './types';

beforeAll(async () => {
  await init();
});

/** Per training step of `fit` (every batch the same size): allocator calls and live tensors after it. */
async function stepCounts(loss: 'softmaxCrossEntropy' | ((yTrue: Tensor, yPred: Tensor) => Tensor)) {
  const { x, labels } = moons({ n: 96, noise: 0.2, seed: 1 });
  const model = sequential([dense(16, { activation: 'tanh' }), layerNorm(), residualBlock(), dense(2)], { inputShape: [2], seed: 1 });
  model.compile({ loss, optimizer: adam({ learningRate: 0.01 }) });
  const allocations: number[] = [];
  const tensors: number[] = [];
  const cb: Callback = {
    onBatchEnd: () => {
      allocations.push(allocatorStats().allocations);
      tensors.push(memory().tensors);
    },
  };
  await model.fit(x, labels, { epochs: 4, batchSize: 32, callbacks: [cb] });
  model.dispose();
  x.dispose();
  return { allocations, tensors };
}

/** Cross-entropy from logits and one-hot rows, written with tensor ops (a custom loss: recorded too). */
const customCrossEntropy = (yTrue: Tensor, yPred: Tensor) => neg(mean(sum(mul(oneHotOf(yTrue), logSoftmax(yPred)), 1)));
/** The labels fit passes as given ([m] class ids 0/1) as one-hot rows. */
const oneHotOf = (ids: Tensor) => concat([sub(1, ids.reshape([ids.size, 1])), ids.reshape([ids.size, 1])], 1);

test.each([
  ['softmaxCrossEntropy', 'softmaxCrossEntropy'],
  ['a custom', customCrossEntropy],
] as const)('a layer norm and a residual block in fit (%s loss): after step 1 the allocator calls stay flat, the live tensors too', async (_, loss) => {
  const { allocations, tensors } = await stepCounts(loss);
  expect(allocations).toHaveLength(12);
  // Step 1 makes the buffers, and step 2 may still allocate a few blocks: the optimizer's state, made
  // at the end of step 1, took blocks of its sizes that the step had released to the pool. From then
  // on a step is served by the pool alone.
  expect(allocations.slice(2)).toEqual(allocations.slice(2).map(() => allocations[1]));
  expect(tensors.slice(1)).toEqual(tensors.slice(1).map(() => tensors[0]));
});
