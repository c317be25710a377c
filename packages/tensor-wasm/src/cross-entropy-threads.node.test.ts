// The cross-entropies split over the worker pool: loss and gradient the same bits on 1, 2 and 3
// threads (on this 2-core machine, 3 threads share 2 cores), against a float64 reference computed
// here, for both the number forms and the differentiable Tensor forms; and no block left behind.
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { allocatorStats } from './allocator';
import { parallelPool } from './backend';
import {
  createRng, type DType, init, memory, randn, sigmoidCrossEntropyLoss, sigmoidCrossEntropyWithLogits, softmaxCrossEntropyLoss,
  softmaxCrossEntropyWithLogits, type Tensor, tensor, valueAndGrad, zeros,
} from './index';

beforeAll(() => init());
afterAll(() => init({ threads: 1 }));

const DTYPES: DType[] = ['float32', 'float64'];
const hex = (x: number) => Buffer.from(new Float64Array([x]).buffer).toString('hex');
const bits = (t: Tensor) => Buffer.from(t.toArray().buffer).toString('base64');

/** Runs `body` on 1, 2 and 3 threads; checks that a pool job ran whenever there was a pool. */
async function onThreadCounts(body: (threads: number) => void): Promise<void> {
  for (const threads of [1, 2, 3]) {
    await init({ threads });
    const pool = parallelPool();
    const start = pool === null ? null : vi.spyOn(pool, 'start');
    body(threads);
    if (threads > 1) expect(start?.mock.calls.length, `split jobs on ${threads} threads`).toBeGreaterThan(0);
    start?.mockRestore();
  }
}

/** Mean softmax cross-entropy and (softmax − y)/m in float64, from the logits' and labels' values. */
function softmaxReference(z: ArrayLike<number>, y: ArrayLike<number>, m: number, k: number): { loss: number; grad: Float64Array } {
  const grad = new Float64Array(m * k);
  let loss = 0;
  for (let i = 0; i < m; i++) {
    let mx = -Infinity;
    for (let j = 0; j < k; j++) mx = Math.max(mx, z[i * k + j]);
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(z[i * k + j] - mx);
    for (let j = 0; j < k; j++) {
      const e = i * k + j;
      loss += y[e] * (mx + Math.log(s) - z[e]);
      grad[e] = (Math.exp(z[e] - mx) / s - y[e]) / m;
    }
  }
  return { loss: loss / m, grad };
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  let worst = 0;
  for (let e = 0; e < want.length; e++) worst = Math.max(worst, Math.abs(got[e] - want[e]));
  expect(worst, what).toBeLessThanOrEqual(tol);
}

// 1000 × 37: ragged parts; 3001 × 37: enough rows for 6 and 9 parts on 2 and 3 threads.
const SOFTMAX_SHAPES: Array<[number, number]> = [[4096, 10], [1000, 37], [3001, 37]];

test.each(DTYPES)('%s: softmax cross-entropy with one-hot rows, probability rows and class ids is the same bits on 1, 2 and 3 threads', async (dtype) => {
  const cases = SOFTMAX_SHAPES.flatMap(([m, k], s) => {
    const rng = createRng(40 + s);
    const logits = randn([m, k], { seed: 50 + s, dtype, std: 3 });
    const ids = Int32Array.from({ length: m }, () => Math.floor(rng.uniform() * k));
    const onehot = tensor(Array.from({ length: m * k }, (_, e) => (ids[Math.floor(e / k)] === e % k ? 1 : 0)), [m, k], dtype);
    const raw = Array.from({ length: m * k }, () => rng.uniform());
    const probs = tensor(raw.map((v, e) => v / raw.slice(e - (e % k), e - (e % k) + k).reduce((a, b) => a + b, 0)), [m, k], dtype);
    return [
      { name: `[${m}, ${k}] class ids`, logits, labels: ids as Int32Array | Tensor, y: onehot.toArray() },
      { name: `[${m}, ${k}] one-hot`, logits, labels: onehot as Int32Array | Tensor, y: onehot.toArray() },
      { name: `[${m}, ${k}] probabilities`, logits, labels: probs as Int32Array | Tensor, y: probs.toArray() },
    ];
  });
  const seen = new Map<string, Set<string>>();
  await onThreadCounts(() => {
    for (const { name, logits, labels, y } of cases) {
      const [m, k] = logits.shape;
      const grad = zeros([m, k], dtype);
      const loss = softmaxCrossEntropyWithLogits(logits, labels, { grad });
      const { value, grad: g } = valueAndGrad((t: Tensor) => softmaxCrossEntropyLoss(t, labels))(logits);
      const want = softmaxReference(logits.toArray(), y, m, k);
      expect(Math.abs(loss - want.loss), name).toBeLessThanOrEqual((dtype === 'float32' ? 1e-6 : 1e-13) * want.loss);
      expectClose(grad.toArray(), want.grad, (dtype === 'float32' ? 1e-6 : 1e-15) / m, name);
      if (!seen.has(name)) seen.set(name, new Set());
      seen.get(name)?.add(`${hex(loss)} ${bits(grad)} | ${bits(value)} ${bits(g)}`);
      for (const t of [grad, value, g]) t.dispose();
    }
  });
  for (const [name, forms] of seen) expect(forms.size, name).toBe(1);
});

/** Mean binary cross-entropy and (σ(z) − t)/n in float64. */
function sigmoidReference(z: ArrayLike<number>, t: ArrayLike<number>): { loss: number; grad: Float64Array } {
  const n = z.length;
  const grad = new Float64Array(n);
  let loss = 0;
  for (let e = 0; e < n; e++) {
    loss += Math.max(z[e], 0) - z[e] * t[e] + Math.log1p(Math.exp(-Math.abs(z[e])));
    grad[e] = (1 / (1 + Math.exp(-z[e])) - t[e]) / n;
  }
  return { loss: loss / n, grad };
}

// 77777: a ragged last part; 300001: more elements than one round of the per-element losses' block.
test.each(DTYPES)('%s: sigmoid cross-entropy of 100000, 77777 and 300001 elements is the same bits on 1, 2 and 3 threads', async (dtype) => {
  const cases = [100000, 77777, 300001].map((n, s) => {
    const rng = createRng(60 + s);
    return {
      n,
      logits: randn([n], { seed: 70 + s, dtype, std: 4 }),
      targets: tensor(Array.from({ length: n }, (_, e) => (e % 3 === 0 ? rng.uniform() : e % 3 === 1 ? 1 : 0)), [n], dtype),
    };
  });
  const seen = new Map<number, Set<string>>();
  await onThreadCounts(() => {
    for (const { n, logits, targets } of cases) {
      const grad = zeros([n], dtype);
      const loss = sigmoidCrossEntropyWithLogits(logits, targets, { grad });
      const { value, grad: g } = valueAndGrad((z: Tensor) => sigmoidCrossEntropyLoss(z, targets))(logits);
      const want = sigmoidReference(logits.toArray(), targets.toArray());
      expect(Math.abs(loss - want.loss), `${n}`).toBeLessThanOrEqual((dtype === 'float32' ? 1e-6 : 1e-13) * want.loss);
      expectClose(grad.toArray(), want.grad, (dtype === 'float32' ? 1e-6 : 1e-15) / n, `${n}`);
      if (!seen.has(n)) seen.set(n, new Set());
      seen.get(n)?.add(`${hex(loss)} ${bits(grad)} | ${bits(value)} ${bits(g)}`);
      for (const t of [grad, value, g]) t.dispose();
    }
  });
  for (const [n, forms] of seen) expect(forms.size, `${n}`).toBe(1);
});

test('a split cross-entropy leaves no block and no tensor behind', async () => {
  await init({ threads: 2 });
  const logits = randn([4096, 10], { seed: 1 });
  const ids = Int32Array.from({ length: 4096 }, (_, i) => i % 10);
  const z = randn([100000], { seed: 2 });
  const targets = zeros([100000]);
  const grad = zeros([4096, 10]);
  const run = () => {
    softmaxCrossEntropyWithLogits(logits, ids, { grad });
    sigmoidCrossEntropyWithLogits(z, targets);
    softmaxCrossEntropyLoss(logits, ids).dispose();
  };
  run(); // the first call asks the allocator for its blocks; later calls reuse them
  const before = { ...allocatorStats(), ...memory() };
  for (let i = 0; i < 3; i++) run();
  expect({ ...allocatorStats(), ...memory() }).toEqual(before);
});
