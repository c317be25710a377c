// The JAX/Optax-style custom training loop: valueAndGrad of a loss over a params object, then
// optimizer.step(params, grads), inside scope(). Every optimizer with a schedule, in float32 and
// float64, against PyTorch (test/fixtures/custom-loop.json); and no tensor leaks over 1,000 steps.
import {
  add, type DType, init, logSoftmax, matmul, mean, memory, mul, neg, relu, scope, sum, tensor, type Tensor, valueAndGrad,
} from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import fixture from '../test/fixtures/custom-loop.json';
import { adam } from './adam';
import { adamw } from './adamw';
import { momentum } from './momentum';
import { rmsprop } from './rmsprop';
import { cosineDecay } from './schedules/cosine-decay';
import { exponentialDecay } from './schedules/exponential-decay';
import { inverseSqrtDecay } from './schedules/inverse-sqrt-decay';
import { inverseTimeDecay } from './schedules/inverse-time-decay';
import { linearWarmup } from './schedules/linear-warmup';
import { piecewiseConstant } from './schedules/piecewise-constant';
import type { LearningRate } from './schedules/schedule';
import { stepDecay } from './schedules/step-decay';
import { sgd } from './sgd';
import type { Optimizer } from './types';

/** float64 against PyTorch's float64 autograd and optimizers: the bound, max |w − ref| / max |ref| per tensor. */
const FLOAT64_TOLERANCE = 1e-9;
/**
 * float32 against the same float64 reference: 20 steps of rounding (float32's ε is 1.2e-7) through
 * Adam's and RMSprop's normalized steps, which amplify the relative error of small gradients. The
 * largest error seen was 3.5e-7 (AdamW); a wrong rule, schedule or a missed step is off by more than 1e-3.
 */
const FLOAT32_TOLERANCE = 1e-5;

type Params = { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor };
type Spec = { schedule: string; [key: string]: unknown };

const SCHEDULES: Record<string, (o: never) => LearningRate> = {
  cosineDecay, exponentialDecay, inverseSqrtDecay, inverseTimeDecay, piecewiseConstant, stepDecay,
  linearWarmup: (o: Spec & { then: Spec }) =>
    // biome-ignore lint/suspicious/noThenProperty: the API names the wrapped schedule `then`
    linearWarmup({ ...o, then: scheduleOf(o.then) } as never),
};

function scheduleOf({ schedule, ...options }: Spec): LearningRate {
  return SCHEDULES[schedule](options as never);
}

const OPTIMIZERS: Record<string, (o: never) => Optimizer> = { sgd, momentum, rmsprop, adam, adamw };

function optimizerOf(c: (typeof fixture.cases)[number]): Optimizer {
  return OPTIMIZERS[c.optimizer]({ ...c.options, learningRate: scheduleOf(c.schedule as Spec) } as never);
}

const { inputs, hidden, classes, batch, batches, epochs } = fixture;

function oneHot(labels: number[]): number[] {
  return labels.flatMap((l) => Array.from({ length: classes }, (_, k) => (k === l ? 1 : 0)));
}

function dataOf(dtype: DType) {
  const x = tensor(fixture.x, [batch * batches, inputs], dtype);
  const y = tensor(oneHot(fixture.labels), [batch * batches, classes], dtype);
  return { x, y };
}

function paramsOf(dtype: DType): Params {
  const { w1, b1, w2, b2 } = fixture.init;
  return { w1: tensor(w1, [inputs, hidden], dtype), b1: tensor(b1, [hidden], dtype), w2: tensor(w2, [hidden, classes], dtype), b2: tensor(b2, [classes], dtype) };
}

/** Mean over rows of −Σ y·log softmax(logits): cross-entropy written with tensor ops only. */
function lossOf(p: Params, x: Tensor, y: Tensor): Tensor {
  const logits = add(matmul(relu(add(matmul(x, p.w1), p.b1)), p.w2), p.b2);
  return neg(mean(sum(mul(y, logSoftmax(logits)), 1)));
}

/** The loop the README shows: an epoch of mini-batches, valueAndGrad, then step, each step in a scope. */
function train(params: Params, opt: Optimizer, dtype: DType): number[] {
  const { x, y } = dataOf(dtype);
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    (opt as { setEpoch?: (e: number) => void }).setEpoch?.(epoch);
    for (let b = 0; b < batches; b++) {
      scope(() => {
        const xb = x.rows(b * batch, (b + 1) * batch);
        const yb = y.rows(b * batch, (b + 1) * batch);
        const { value, grad } = valueAndGrad((p: Params) => lossOf(p, xb, yb))(params);
        opt.step(params, grad);
        losses.push(value.toArray()[0]);
      });
    }
  }
  x.dispose();
  y.dispose();
  return losses;
}

function relativeError(actual: ArrayLike<number>, expected: number[]): number {
  let diff = 0;
  let scale = 0;
  expected.forEach((e, i) => {
    diff = Math.max(diff, Math.abs(actual[i] - e));
    scale = Math.max(scale, Math.abs(e));
  });
  return diff / scale;
}

function describeCase(c: (typeof fixture.cases)[number]): string {
  return `${c.optimizer} ${JSON.stringify(c.options)} with ${c.schedule.schedule}`;
}

beforeAll(async () => {
  await init();
});

describe.each([
  ['float64', FLOAT64_TOLERANCE],
  ['float32', FLOAT32_TOLERANCE],
] as const)('%s: 20 steps of a custom loop match PyTorch', (dtype, tolerance) => {
  test.each(fixture.cases.map((c) => [describeCase(c), c] as const))('%s', (_, c) => {
    const before = memory().tensors;
    const params = paramsOf(dtype);
    const opt = optimizerOf(c);
    const losses = train(params, opt, dtype);
    expect(opt.iterations).toBe(epochs * batches);
    expect(relativeError(losses, c.losses)).toBeLessThan(tolerance);
    for (const key of ['w1', 'b1', 'w2', 'b2'] as const) {
      const error = relativeError(params[key].toArray(), c.weights[key]);
      expect(error, `${key}: ${error}`).toBeLessThan(tolerance);
    }
    opt.dispose();
    for (const t of Object.values(params)) t.dispose();
    expect(memory().tensors).toBe(before);
  });
});

test('over 1,000 steps of the custom loop inside scope() the live tensor count stays flat', () => {
  const dtype = 'float32';
  const { x, y } = dataOf(dtype);
  const params = paramsOf(dtype);
  const opt = adam({ learningRate: exponentialDecay({ initial: 1e-3, decayRate: 0.5, decaySteps: 500 }) });
  const step = (i: number) =>
    scope(() => {
      const b = i % batches;
      const xb = x.rows(b * batch, (b + 1) * batch);
      const yb = y.rows(b * batch, (b + 1) * batch);
      const { grad } = valueAndGrad((p: Params) => lossOf(p, xb, yb))(params);
      opt.step(params, grad);
    });
  step(0); // the first step allocates the optimizer's moments
  const live = memory();
  const counts = new Set<number>();
  for (let i = 1; i < 1000; i++) {
    step(i);
    counts.add(memory().tensors);
  }
  expect([...counts]).toEqual([live.tensors]);
  expect(memory().bytes).toBe(live.bytes);
  expect(opt.iterations).toBe(1000);
  opt.dispose();
  for (const t of [x, y, ...Object.values(params)]) t.dispose();
});
