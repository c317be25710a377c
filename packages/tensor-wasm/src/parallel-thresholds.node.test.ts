// The benchmarks' threshold override (globalThis[Symbol.for('nnkit.parallelThresholds')], read by
// init()): it decides which ops go to the pool, never their bits, and a bad value is refused.
import { afterEach, expect, test, vi } from 'vitest';
import { parallelPool } from './backend';
import { activationBackward, denseForward, init, matmul, NnkitError, sgdUpdate, type Tensor, tensor } from './index';
import { THRESHOLDS_KEY } from './parallel-thresholds';

const globals = globalThis as Record<symbol, unknown>;
const bits = (t: Tensor) => Buffer.from(t.toArray().buffer).toString('base64');

afterEach(async () => {
  delete globals[THRESHOLDS_KEY];
  await init({ threads: 1 });
});

/** Runs `op` on a 2-thread pool and returns how many jobs it gave the pool. */
function jobsOf(op: () => void): number {
  const pool = parallelPool();
  if (pool === null) throw new Error('no pool');
  const start = vi.spyOn(pool, 'start');
  try {
    op();
    return start.mock.calls.length;
  } finally {
    start.mockRestore();
  }
}

test('an override of 1 splits an 8×16·16×8 product, which the shipped threshold keeps on the calling thread; the bits are the hand-computed ones', async () => {
  await init({ threads: 2 });
  // a = [i + j] (8×16), b = all ones (16×8): row i of the product is Σ_j (i + j) = 16·i + 120.
  const a = tensor(Array.from({ length: 128 }, (_, e) => Math.floor(e / 16) + (e % 16)), [8, 16]);
  const b = tensor(new Array(128).fill(1), [16, 8]);
  const want = Float32Array.from({ length: 64 }, (_, e) => 16 * Math.floor(e / 8) + 120);
  let c = matmul(a, b);
  expect(jobsOf(() => matmul(a, b, { out: c }))).toBe(0);
  globals[THRESHOLDS_KEY] = { gemmMacs: 1 };
  await init({ threads: 2 }); // the same count: init() only rereads the thresholds
  c = matmul(a, b);
  expect(jobsOf(() => matmul(a, b, { out: c }))).toBe(1);
  expect(bits(c)).toBe(Buffer.from(want.buffer).toString('base64'));
  delete globals[THRESHOLDS_KEY];
  await init({ threads: 2 });
  expect(jobsOf(() => matmul(a, b, { out: c }))).toBe(0); // back to the shipped threshold
});

test('an override moves only the thresholds it names', async () => {
  await init({ threads: 2 });
  const w = tensor(new Array(256).fill(1), [256]);
  const g = tensor(new Array(256).fill(2), [256]);
  globals[THRESHOLDS_KEY] = { minElements: 128 };
  await init({ threads: 2 });
  expect(jobsOf(() => sgdUpdate(w, g, { lr: 0.25 }))).toBe(1);
  expect(Array.from(w.toArray())).toEqual(new Array(256).fill(0.5)); // 1 − 0.25·2
  const a = tensor(new Array(64).fill(1), [8, 8]);
  expect(jobsOf(() => matmul(a, a))).toBe(0); // 8³ multiply-adds, below the shipped gemm threshold
});

test.each([
  [{ gemmMacs: 0 }, 'gemmMacs 0'],
  [{ minElements: Number.NaN }, 'minElements NaN'],
  [{ minRowElements: '64' }, "minRowElements '64' (a string)"],
])('an override of %o is refused with INVALID_ARGUMENT naming it', async (override, shown) => {
  globals[THRESHOLDS_KEY] = override;
  const error = await init({ threads: 2 }).catch((e) => e);
  expect(error).toBeInstanceOf(NnkitError);
  expect(error.code).toBe('INVALID_ARGUMENT');
  expect(error.message).toBe(`init(): the parallel threshold ${shown} must be a number ≥ 1`);
});

test('activationBackward splits a 256×160 pass over ranges of columns with a bias gradient and over rows without one; a 64×256 pass with a bias gradient stays on the calling thread', async () => {
  await init({ threads: 2 });
  const [m, n] = [256, 160]; // 40,960 elements, above the row-wise threshold
  const dy = tensor(new Array(m * n).fill(1), [m, n]);
  const y = tensor(new Array(m * n).fill(0.5), [m, n]); // relu'(0.5) = 1: dz = dy
  const db = tensor(new Array(n).fill(7), [n]);
  let dz = activationBackward(dy, y, { activation: 'relu', biasGrad: db });
  expect(jobsOf(() => activationBackward(dy, y, { activation: 'relu', biasGrad: db, out: dz }))).toBe(1);
  expect(Array.from(db.toArray())).toEqual(new Array(n).fill(m)); // Σ over 256 rows of 1, overwritten
  // The benchmark MLP's largest bias gradient: 16,384 elements, below the column-wise threshold.
  const [dy2, y2, db2] = [tensor(new Array(64 * 256).fill(2), [64, 256]), tensor(new Array(64 * 256).fill(0.5), [64, 256]), tensor(new Array(256).fill(0), [256])];
  expect(jobsOf(() => activationBackward(dy2, y2, { activation: 'relu', biasGrad: db2 }))).toBe(0);
  expect(Array.from(db2.toArray())).toEqual(new Array(256).fill(128));
  dz = activationBackward(dy, y, { activation: 'relu' });
  expect(jobsOf(() => activationBackward(dy, y, { activation: 'relu', out: dz }))).toBe(1);
  expect(Array.from(dz.toArray())).toEqual(new Array(m * n).fill(1));
});

test("a dense layer's bias + activation splits from 2¹⁸ elements: 512×256 stays on the calling thread, 1024×256 splits", async () => {
  await init({ threads: 2 });
  const n = 256;
  const b = tensor(Array.from({ length: n }, (_, j) => j - 100), [n]);
  const w = tensor([], [0, n]);
  for (const [m, jobs] of [[512, 0], [1024, 1]]) {
    const x = tensor([], [m, 0]); // k = 0: the product is all zeros and never split, the pass is relu(b) on every row
    const out = denseForward(x, w, b, { activation: 'relu' });
    expect(jobsOf(() => denseForward(x, w, b, { activation: 'relu', out })), `${m} rows`).toBe(jobs);
    const got = out.toArray();
    for (const i of [0, m - 1]) for (const j of [0, 99, 100, 255]) expect(got[i * n + j]).toBe(Math.max(0, j - 100));
  }
});
