import { beforeAll, describe, expect, test } from 'vitest';
import { kernels } from './backend';
import { init, matmul, tensor, type DType } from './index';
import { offsetOf } from './tensor';
import { bothBuilds } from './test-support/builds';
import { randomValues } from './test-support/reference';

beforeAll(() => init());

// The gemm's documented order of additions: every element is C + s₀ + s₁ + … where sᵢ sums the
// products of one 256-deep slice of k from zero, in k order (the micro-kernel's accumulators).
// This order is what makes results the same bits on every machine and for any split of the rows
// over threads, so it is checked exactly, against a reference that rounds every step to the dtype
// (Math.fround for float32). The row and column blocks (60 rows; 128 f32 / 64 f64 columns, and the
// 64 rows and 256 columns used before) must not change it: the shapes cross every row, column and k block.
const KC = 256;
const SHAPES: Array<[number, number, number]> = [
  [70, 270, 530], // m over 60 and 64, n over 64/128/256, k over 256 and 512
  [64, 20, 300], // a partial 5-row tile (4 rows) after a 60-row block
  [130, 9, 300], // m over 128, a lone partial column panel
  [5, 140, 257], // a 1-deep last slice of k
];
const TRANSPOSES: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

function blockedReference(
  a: number[], b: number[], c0: number[] | null, m: number, n: number, k: number, tA: boolean, tB: boolean, dtype: DType,
): Float64Array {
  const r = dtype === 'float32' ? Math.fround : (x: number) => x;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let c = c0 ? c0[i * n + j] : 0;
      for (let p0 = 0; p0 < k; p0 += KC) {
        let s = 0;
        for (let p = p0; p < Math.min(k, p0 + KC); p++) {
          const av = tA ? a[p * m + i] : a[i * k + p];
          const bv = tB ? b[j * k + p] : b[p * n + j];
          s = r(s + r(av * bv));
        }
        c = c0 === null && p0 === 0 ? s : r(c + s);
      }
      out[i * n + j] = c;
    }
  }
  return out;
}

/** Index and values of the first element that differs, for a readable failure. */
function firstDifference(got: ArrayLike<number>, want: ArrayLike<number>): string | null {
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) return `element ${i}: got ${got[i]}, want ${want[i]}`;
  return null;
}

describe.each(['float32', 'float64'] as DType[])('gemm order of additions, %s', (dtype) => {
  test.each(TRANSPOSES)('transposeA=%s transposeB=%s: the exact bits of 256-deep slices added in order', (tA, tB) => {
    for (const [m, n, k] of SHAPES) {
      const av = randomValues(m * k, m + 7 * k);
      const bv = randomValues(k * n, n + 3 * k);
      const cv = randomValues(m * n, m * n);
      const a = tensor(av, tA ? [k, m] : [m, k], dtype);
      const b = tensor(bv, tB ? [n, k] : [k, n], dtype);
      const c = matmul(a, b, { transposeA: tA, transposeB: tB });
      expect(firstDifference(c.toArray(), blockedReference(av, bv, null, m, n, k, tA, tB, dtype)), `${m}×${n}×${k}`).toBeNull();
      const out = tensor(cv, [m, n], dtype);
      matmul(a, b, { transposeA: tA, transposeB: tB, out, accumulate: true });
      expect(firstDifference(out.toArray(), blockedReference(av, bv, cv, m, n, k, tA, tB, dtype)), `${m}×${n}×${k} accumulate`).toBeNull();
      for (const t of [a, b, c, out]) t.dispose();
    }
  });

  test('row ranges (as threads call the kernel) give the bits of the whole product', () => {
    const [m, n, k] = SHAPES[0];
    const av = randomValues(m * k, 11);
    const bv = randomValues(k * n, 12);
    const a = tensor(av, [m, k], dtype);
    const b = tensor(bv, [k, n], dtype);
    const out = tensor(new Array(m * n).fill(0), [m, n], dtype);
    const kernel = kernels(dtype);
    const scratchBytes = kernel.gemm_scratch_bytes();
    const space = tensor(new Array(scratchBytes / (dtype === 'float32' ? 4 : 8) + 4).fill(0), undefined, dtype);
    const aligned = (offsetOf(space) + 15) & ~15;
    // Uneven ranges that start and end inside 5-row tiles and 60-row blocks.
    for (const [start, end] of [[0, 3], [3, 37], [37, 69], [69, 70]]) {
      kernel.gemm(offsetOf(a), offsetOf(b), offsetOf(out), n, k, k, n, n, 0, 0, 0, start, end, aligned);
    }
    expect(firstDifference(out.toArray(), blockedReference(av, bv, null, m, n, k, false, false, dtype))).toBeNull();
    for (const t of [a, b, out, space]) t.dispose();
  });
});

test.each(['float32', 'float64'] as DType[])('%s: the SIMD and the scalar build both add in that order', async (dtype) => {
  const [m, n, k] = SHAPES[0];
  const av = randomValues(m * k, 21);
  const bv = randomValues(k * n, 22);
  const cv = randomValues(m * n, 23);
  const E = dtype === 'float32' ? 4 : 8;
  const builds = await bothBuilds();
  const at = (bytes: number) => Math.ceil(bytes / 16) * 16;
  for (const [tA, tB] of TRANSPOSES) {
    const want = blockedReference(av, bv, cv, m, n, k, tA, tB, dtype);
    for (const build of builds) {
      const kernel = build[dtype];
      // Operands side by side above the kernel's static data, each 16-aligned.
      const a = at(build.exports.heap_base());
      const b = at(a + m * k * E);
      const c = at(b + k * n * E);
      const scratch = at(c + m * n * E);
      const end = scratch + kernel.gemm_scratch_bytes();
      if (end > build.memory.buffer.byteLength) build.memory.grow(Math.ceil((end - build.memory.buffer.byteLength) / 65536));
      const view = (p: number, count: number) =>
        dtype === 'float32' ? new Float32Array(build.memory.buffer, p, count) : new Float64Array(build.memory.buffer, p, count);
      view(a, m * k).set(av);
      view(b, k * n).set(bv);
      view(c, m * n).set(cv);
      kernel.gemm(a, b, c, n, k, tA ? m : k, tB ? k : n, n, tA ? 1 : 0, tB ? 1 : 0, 1, 0, m, scratch);
      expect(firstDifference(view(c, m * n), want), `simd ${build.exports.simd_enabled()} transposeA=${tA} transposeB=${tB}`).toBeNull();
    }
  }
});
