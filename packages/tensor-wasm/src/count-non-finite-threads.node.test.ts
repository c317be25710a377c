// countNonFinite split over the worker pool: NaN and ±Inf planted across every part (and at the
// edges of the kernel's vector blocks) are counted exactly on 1, 2 and 3 threads.
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { parallelPool } from './backend';
import { countNonFinite, type DType, init, tensor } from './index';

beforeAll(() => init());
afterAll(() => init({ threads: 1 }));

test.each(['float32', 'float64'] as DType[])('%s: countNonFinite of 1000003 values with NaN and ±Inf in every part counts each once on 1, 2 and 3 threads', async (dtype) => {
  const n = 1_000_003;
  const values = (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)).map((_, i) => Math.sin(i) * 1e3);
  let planted = 0;
  const plant = (i: number, v: number) => {
    if (Number.isFinite(values[i])) planted++;
    values[i] = v;
  };
  // Every 4099th element (4099 is prime: the hits fall at every offset within the vector blocks),
  // the first and last elements, and both sides of a few multiples of 64 (where parts may start).
  for (let i = 0; i < n; i += 4099) plant(i, [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY][i % 3]);
  for (const i of [1, 63, 64, 65, 131071, 131072, 499967, 500032, n - 2, n - 1]) plant(i, i % 2 ? Number.NaN : Number.NEGATIVE_INFINITY);
  // Finite values with large exponents are not counted.
  const largest = dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
  for (const i of [2, 3, 600001]) values[i] = i % 2 ? -largest : largest;
  const x = tensor(values, [n], dtype);
  for (const threads of [1, 2, 3]) {
    await init({ threads });
    const pool = parallelPool();
    const start = pool === null ? null : vi.spyOn(pool, 'start');
    expect(countNonFinite(x), `${threads} threads`).toBe(planted);
    if (threads > 1) expect(start?.mock.calls.length, `split jobs on ${threads} threads`).toBe(1);
    start?.mockRestore();
  }
  expect(planted).toBe(Math.ceil(n / 4099) + 10);
  x.dispose();
});
