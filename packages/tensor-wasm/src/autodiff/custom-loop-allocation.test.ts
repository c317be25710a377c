// A custom training loop (valueAndGrad of an MLP's loss, then sgdUpdate) inside scope(): after its
// first step it reaches the allocator no more (released blocks come back from the pool), the live
// tensors stay flat, and the numbers are the same bits as without the pool.
import { afterEach, beforeAll, expect, test } from 'vitest';
import { setPooling } from '../allocator';
import {
  add, allocatorStats, type DType, init, logSoftmax, matmul, mean, memory, mul, randn, relu, scope, sgdUpdate, softmaxCrossEntropyLoss, sum, type Tensor,
  tensor, valueAndGrad,
} from '../index';

beforeAll(() => init());
afterEach(() => setPooling(true));

type Params = { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor };
const IDS = [0, 2, 1, 1, 0, 2, 2, 1, 0, 0, 1, 2];

function setup(dtype: DType): { params: Params; x: Tensor; oneHot: Tensor } {
  return {
    params: {
      w1: randn([5, 8], { seed: 1, dtype, std: 0.5 }),
      b1: randn([8], { seed: 2, dtype, std: 0.1 }),
      w2: randn([8, 3], { seed: 3, dtype, std: 0.5 }),
      b2: randn([3], { seed: 4, dtype, std: 0.1 }),
    },
    x: randn([IDS.length, 5], { seed: 5, dtype }),
    oneHot: tensor(IDS.flatMap((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0))), [IDS.length, 3], dtype),
  };
}

const losses = {
  /** The fused cross-entropy, class ids (a temporary id block every call). */
  fused: (x: Tensor) => (p: Params) => softmaxCrossEntropyLoss(add(matmul(relu(add(matmul(x, p.w1), p.b1)), p.w2), p.b2), IDS),
  /** Written with tensor ops (number operands: temporary scalars every call). */
  ops: (x: Tensor, oneHot: Tensor) => (p: Params) =>
    mul(mean(sum(mul(logSoftmax(add(matmul(relu(add(matmul(x, p.w1), p.b1)), p.w2), p.b2)), oneHot), 1)), -1),
};

/** 50 steps; the allocator calls and live memory after step 1 and after every later step. */
function train(dtype: DType, which: keyof typeof losses) {
  const { params, x, oneHot } = setup(dtype);
  const loss = which === 'fused' ? losses.fused(x) : losses.ops(x, oneHot);
  const start = memory();
  const values: number[] = [];
  let callsAfterFirst = 0;
  let memoryAfterFirst = memory();
  const memoryLater: Array<ReturnType<typeof memory>> = [];
  for (let step = 1; step <= 50; step++) {
    scope(() => {
      const { value, grad: g } = valueAndGrad(loss)(params);
      values.push(value.item());
      for (const k of ['w1', 'b1', 'w2', 'b2'] as const) sgdUpdate(params[k], g[k], { lr: 0.5 });
    });
    if (step === 1) {
      callsAfterFirst = allocatorStats().allocations;
      memoryAfterFirst = memory();
    } else memoryLater.push(memory());
  }
  const final = Object.values(params).map((t) => Array.from(t.toArray()));
  for (const t of [...Object.values(params), x, oneHot]) t.dispose();
  return { values, final, laterCalls: allocatorStats().allocations - callsAfterFirst, start, memoryAfterFirst, memoryLater };
}

test.each([
  ['float32', 'fused'],
  ['float64', 'fused'],
  ['float32', 'ops'],
  ['float64', 'ops'],
] as const)('%s, %s loss: steps 2..50 allocate nothing, memory() stays flat, the numbers do not change', (dtype, which) => {
  const before = memory();
  const pooled = train(dtype, which);
  expect(memory()).toEqual(before);
  expect(pooled.laterCalls).toBe(0);
  for (const m of pooled.memoryLater) expect(m).toEqual(pooled.memoryAfterFirst);
  expect(pooled.memoryAfterFirst).toEqual(pooled.start);
  // It learns (the loss falls), and without the pool every number is the same.
  expect(pooled.values[49]).toBeLessThan(pooled.values[0] * 0.8);
  setPooling(false);
  const unpooled = train(dtype, which);
  expect(unpooled.laterCalls).toBeGreaterThan(0);
  expect(unpooled.values).toEqual(pooled.values);
  expect(unpooled.final).toEqual(pooled.final);
});
