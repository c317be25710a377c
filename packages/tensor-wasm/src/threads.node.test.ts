// init({ threads }) and the worker pool in Node: the option's checks, resizing, the same bits for
// 1, 2 and 3 threads (on this 2-core machine, 3 threads share 2 cores), and a worker that dies.
import { availableParallelism } from 'node:os';
import { afterAll, expect, test, vi } from 'vitest';
import { kernelIndexes, parallelPool } from './backend';
import { activationBackward, backendInfo, clone, createRng, init, matmul, NnkitError, randn, type Tensor, tensor, zeros } from './index';
import { CONTROL } from './pool-layout';
import { lcg } from './test-support/reference';
import { WAIT_BOUND } from './worker-pool';

afterAll(() => init({ threads: 1 }));

const bits = (t: Tensor) => Buffer.from(t.toArray().buffer).toString('base64');

test("threads 'auto' is every core in Node, and init() again with another count resizes the pool", async () => {
  await init();
  expect(backendInfo().threads).toBe(availableParallelism());
  expect(backendInfo().threadsReason).toBeUndefined();
  await init({ threads: 3 });
  expect(backendInfo().threads).toBe(3);
  await init({ threads: 1 });
  expect(backendInfo().threads).toBe(1);
  await init({ threads: 2 });
  expect(backendInfo().threads).toBe(2);
});

test.each([
  [0, '0'], [-2, '-2'], [1.5, '1.5'], [Number.NaN, 'NaN'], [Number.POSITIVE_INFINITY, 'Infinity'],
  ['2', "'2' (a string)"], [257, '257'], [null, 'null'],
])('threads %s is refused with INVALID_ARGUMENT naming it', async (value, shown) => {
  await init();
  const before = backendInfo().threads;
  const error = await init({ threads: value as number }).catch((e) => e);
  expect(error).toBeInstanceOf(NnkitError);
  expect(error.code).toBe('INVALID_ARGUMENT');
  expect(error.message).toBe(`init(): threads ${shown} must be 'auto' or a whole number of threads from 1 to 256`);
  expect(backendInfo().threads).toBe(before); // nothing changed
});

/** op(A)·op(B) in float64 from the operands' values, as an independent reference. */
function reference(a: Tensor, b: Tensor, tA: boolean, tB: boolean): Float64Array {
  const [m, k] = tA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const n = tB ? b.shape[0] : b.shape[1];
  const av = a.toArray();
  const bv = b.toArray();
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += av[tA ? p * m + i : i * k + p] * bv[tB ? j * k + p : p * n + j];
      out[i * n + j] = s;
    }
  }
  return out;
}

// Tall products split over rows, wide ones over columns; odd sizes leave ragged edges in every part.
const SHAPES = [[131, 67, 53], [37, 203, 29], [9, 301, 41], [257, 13, 97], [64, 256, 129]];

test.each(['float32', 'float64'] as const)('%s: random gemms of odd shapes in every transpose are the same bits on 1, 2 and 3 threads', async (dtype) => {
  const cases = SHAPES.flatMap(([m, n, k], i) =>
    [[false, false], [true, false], [false, true], [true, true]].map(([tA, tB]) => ({
      name: `[${m}, ${n}, ${k}] transposeA ${tA} transposeB ${tB}`, tA, tB, k,
      a: randn(tA ? [k, m] : [m, k], { seed: 10 + i, dtype }),
      b: randn(tB ? [n, k] : [k, n], { seed: 20 + i, dtype }),
      c0: randn([m, n], { seed: 30 + i, dtype }),
    })),
  );
  const results = new Map<string, Set<string>>();
  for (const threads of [1, 2, 3]) {
    await init({ threads });
    for (const { name, a, b, c0, tA, tB, k } of cases) {
      const c = matmul(a, b, { transposeA: tA, transposeB: tB });
      const acc = clone(c0);
      matmul(a, b, { transposeA: tA, transposeB: tB, out: acc, accumulate: true });
      if (!results.has(name)) results.set(name, new Set());
      results.get(name)?.add(`${bits(c)}|${bits(acc)}`);
      const want = reference(a, b, tA, tB);
      const got = c.toArray();
      let worst = 0;
      for (let e = 0; e < want.length; e++) worst = Math.max(worst, Math.abs(got[e] - want[e]) / (1 + Math.abs(want[e])));
      expect(worst, name).toBeLessThanOrEqual((dtype === 'float32' ? 1e-5 : 1e-14) * k);
      c.dispose();
      acc.dispose();
    }
  }
  for (const [name, seen] of results) expect(seen.size, name).toBe(1);
});

test('a worker that dies in the middle of a kernel gives WORKER_FAILED after a bounded wait, then one thread works on', async () => {
  await init({ threads: 2 });
  const a = randn([128, 96], { seed: 1 });
  const b = randn([96, 80], { seed: 2 });
  const want = bits(matmul(a, b));
  const saved = { ...WAIT_BOUND };
  WAIT_BOUND.floorMs = 300;
  try {
    const pool = parallelPool();
    expect(pool).not.toBeNull();
    pool?.crashWorkerForTest(0); // the worker exits without finishing its part
    let error: unknown;
    try {
      pool?.finish();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NnkitError);
    expect((error as NnkitError).code).toBe('WORKER_FAILED');
    expect((error as NnkitError).message).toMatch(/1 of 1 workers did not finish their part within \d+ ms/);
    expect(backendInfo().threads).toBe(1);
    expect(backendInfo().threadsReason).toMatch(/did not finish/);
    expect(bits(matmul(a, b))).toBe(want); // the calling thread alone
  } finally {
    Object.assign(WAIT_BOUND, saved);
  }
  await init({ threads: 2 }); // a new pool
  expect(backendInfo().threads).toBe(2);
  expect(bits(matmul(a, b))).toBe(want);
});

test('after the shared memory grows, split products on tensors in the new pages are the same bits as on one thread', async () => {
  await init({ threads: 2 });
  const before = backendInfo().memoryBytes;
  const filler = randn([4096, 4096], { seed: 3 }); // 64 MiB: the memory grows with the pool running
  const a = randn([200, 150], { seed: 4 });
  const b = randn([150, 170], { seed: 5 });
  expect(backendInfo().memoryBytes).toBeGreaterThan(before);
  const two = bits(matmul(a, b, { transposeB: false }));
  await init({ threads: 1 });
  expect(bits(matmul(a, b))).toBe(two);
  for (const t of [filler, a, b]) t.dispose();
});

test.each(['float32', 'float64'] as const)('%s: activationBackward with a bias gradient is the same bits on 1, 2 and 3 threads, a column of −0 summing to +0', async (dtype) => {
  await init();
  const [m, n] = [256, 160];
  const rng = createRng(9);
  // Column 3 of dy is all −0: the one-pass kernel sums it from +0 to +0; a sum from its first row would give −0.
  const yv = Array.from({ length: m * n }, () => rng.normal());
  const dyv = Array.from({ length: m * n }, (_, i) => (i % n === 3 ? -0 : rng.normal()));
  const y = tensor(yv, [m, n], dtype);
  const dy = tensor(dyv, [m, n], dtype);
  const seen = new Set<string>();
  for (const threads of [1, 2, 3]) {
    await init({ threads });
    for (const activation of ['linear', 'tanh'] as const) {
      const db = zeros([n], dtype);
      const dz = activationBackward(dy, y, { activation, biasGrad: db });
      seen.add(`${activation} ${bits(dz)}|${bits(db)}`);
      const got = db.toArray();
      expect(Object.is(got[3], 0), `${activation}: db[3] is ${Object.is(got[3], -0) ? '-0' : got[3]}`).toBe(true);
      if (activation === 'linear') {
        for (const j of [0, 1, 159]) {
          let want = 0;
          for (let i = 0; i < m; i++) want += dyv[i * n + j];
          expect(Math.abs(got[j] - want)).toBeLessThan(dtype === 'float32' ? 1e-3 : 1e-10);
        }
      }
      dz.dispose();
      db.dispose();
    }
  }
  expect(seen.size).toBe(2); // one result per activation, whatever the thread count
});

test.each(['float32', 'float64'] as const)('%s: a large bias gradient is summed over ranges of columns on every thread, in the one-pass order, the same bits on 1, 2 and 3 threads', async (dtype) => {
  const r = dtype === 'float32' ? Math.fround : (a: number) => a;
  for (const [m, n] of [[512, 1000], [777, 203]]) {
    const next = lcg(m);
    const yv = Array.from({ length: m * n }, () => r(next() * 2 - 1));
    const dyv = Array.from({ length: m * n }, () => r(next() * 2 - 1));
    const y = tensor(yv, [m, n], dtype);
    const dy = tensor(dyv, [m, n], dtype);
    const seen = new Set<string>();
    for (const threads of [1, 2, 3]) {
      await init({ threads });
      // Each job's function and its part 1's arguments: the bias gradient is on the pool when a part other than the caller's gets db.
      const jobs: Array<{ fn: number; part1: number[] }> = [];
      const pool = parallelPool();
      if (pool !== null) {
        const start = pool.start.bind(pool);
        vi.spyOn(pool, 'start').mockImplementation((fn, parts, scratchAt) => {
          jobs.push({ fn, part1: Array.from(pool.args.subarray(CONTROL.ARGS_PER_PART, 2 * CONTROL.ARGS_PER_PART)) });
          start(fn, parts, scratchAt);
        });
      }
      for (const activation of ['relu', 'tanh'] as const) {
        // The one-pass kernel's order, rounded to the dtype: dz = dy·act'(y), db from +0 down the rows.
        const dz = dyv.map((d, k) => (activation === 'relu' ? (yv[k] > 0 ? d : 0) : r(d * r(1 - r(yv[k] * yv[k])))));
        const want = Array.from({ length: n }, (_, j) => {
          let s = 0;
          for (let i = 0; i < m; i++) s = r(s + dz[i * n + j]);
          return s;
        });
        const exact = Array.from({ length: n }, (_, j) => {
          let s = 0;
          for (let i = 0; i < m; i++) s += dyv[i * n + j] * (activation === 'relu' ? (yv[i * n + j] > 0 ? 1 : 0) : 1 - yv[i * n + j] ** 2);
          return s;
        });
        const db = zeros([n], dtype);
        const out = activationBackward(dy, y, { activation, biasGrad: db });
        seen.add(`${activation} ${bits(out)}|${bits(db)}`);
        const got = db.toArray();
        const at = want.findIndex((w, j) => !Object.is(got[j], w)); // bits, not a tolerance
        expect(at, `[${m}, ${n}] ${activation} on ${threads} threads: db[${at}] is ${got[at]}, expected ${want[at]}`).toBe(-1);
        for (let j = 0; j < n; j++) expect(Math.abs(got[j] - exact[j]) / (1 + Math.abs(exact[j]))).toBeLessThan(dtype === 'float32' ? 1e-3 : 1e-12);
        out.dispose();
        db.dispose();
      }
      if (pool !== null) {
        const dbOnPool = jobs.filter((j) => j.fn === kernelIndexes('activation_backward')[dtype] && j.part1[4] !== 0);
        expect(dbOnPool.length, `[${m}, ${n}] on ${threads} threads`).toBe(2); // relu and tanh
        vi.restoreAllMocks();
      }
    }
    expect(seen.size).toBe(2); // one result per activation, whatever the thread count
    y.dispose();
    dy.dispose();
  }
}, 60_000);
