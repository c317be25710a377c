// gatherRows split over the worker pool by output rows: every row lands where the index list says,
// on 1, 2 and 3 threads, and the gradient (a scatter-add on the calling thread) is unchanged.
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { parallelPool } from './backend';
import { type DType, gatherRows, init, tensor } from './index';

beforeAll(() => init());
afterAll(() => init({ threads: 1 }));

test.each(['float32', 'float64'] as DType[])('%s: gatherRows of 777 shuffled rows of 301 values copies each row exactly on 1, 2 and 3 threads', async (dtype) => {
  const rows = 2000;
  const cols = 301;
  const x = tensor(Array.from({ length: rows * cols }, (_, i) => i + 0.25), [rows, cols], dtype);
  // A fixed shuffle with repeats: index r picks row (r·7919 + 13) mod 2000.
  const indices = Int32Array.from({ length: 777 }, (_, r) => (r * 7919 + 13) % rows);
  for (const threads of [1, 2, 3]) {
    await init({ threads });
    const pool = parallelPool();
    const start = pool === null ? null : vi.spyOn(pool, 'start');
    const out = gatherRows(x, indices);
    if (threads > 1) expect(start?.mock.calls.length, `split jobs on ${threads} threads`).toBe(1);
    start?.mockRestore();
    const got = out.toArray();
    // Row r of out is row indices[r] of x, whose element c is indices[r]·cols + c + 0.25 (exact in float32 below 2^24).
    let wrong = 0;
    for (let r = 0; r < indices.length; r++) for (let c = 0; c < cols; c++) if (got[r * cols + c] !== indices[r] * cols + c + 0.25) wrong++;
    expect(wrong, `${threads} threads`).toBe(0);
    expect(out.shape).toEqual([777, cols]);
    out.dispose();
  }
  x.dispose();
});
