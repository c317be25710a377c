// nnkit's gemm on one thread and on two (the calling thread and one worker), in one run: square
// products and the three products of the benchmark MLP's first layer at batch 64. The thread count
// is switched with init({ threads }) between the two halves of every round, so both see the same
// machine; a speed-up is the median of the per-round ratios. Results are the same bits either way.
import { backendInfo, init, matmul, randn, zeros } from '@nnkit/tensor-wasm';
import { fmt, GEMM_SHAPES, machine, median, medianMs, pairedRatio, table } from './lib.mjs';

// The gemm table's products, but 64² (below the size from which a product is split).
const SHAPES = GEMM_SHAPES.filter(([, m, n, k]) => m * n * k > 64 ** 3);
const ROUNDS = 7;
const THREADS = [1, 2];

await init({ threads: 1 });
const cases = SHAPES.map(([label, m, n, k, ta, tb]) => ({
  label, flop: 2 * m * n * k, ta, tb,
  a: randn(ta ? [k, m] : [m, k], { seed: 1 }),
  b: randn(tb ? [n, k] : [k, n], { seed: 2 }),
  out: zeros([m, n]),
  ms: Object.fromEntries(THREADS.map((t) => [t, []])),
}));
for (let round = 0; round < ROUNDS; round++) {
  for (const threads of THREADS) {
    await init({ threads });
    for (const c of cases) {
      c.ms[threads].push(medianMs(() => matmul(c.a, c.b, { transposeA: c.ta, transposeB: c.tb, out: c.out }), { repeats: 5, warmup: 2, minMs: 20 }));
    }
  }
}
console.log(`\n### gemm on one and two threads, float32 (${machine('one and two threads')}; at the end: ${JSON.stringify(backendInfo())})\n`);
console.log(`Medians of ${ROUNDS} rounds; the speed-up is the median of the per-round ratios (target ≥ 1.8×).\n`);
table(
  ['product', 'GFLOP/s, 1 thread', 'GFLOP/s, 2 threads', 'speed-up'],
  cases.map((c) => [
    c.label,
    fmt(c.flop / median(c.ms[1]) / 1e6, 1),
    fmt(c.flop / median(c.ms[2]) / 1e6, 1),
    `${fmt(pairedRatio(c.ms[1], c.ms[2]), 2)}×`,
  ]),
);
await init({ threads: 1 });
