// gemm GFLOP/s of nnkit beside TensorFlow.js's wasm backend (XNNPACK, SIMD, one thread in Node) on
// the same shapes, in one run, with the SIMD limit measured in this process next to every row.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { init, matmul, randn, zeros } from '@nnkit/tensor-wasm';
import { fmt, GEMM_SHAPES as SHAPES, machine, median, medianMs, pairedRatio, simdPeakGflops, table } from './lib.mjs';

// One thread: these rows compare per-core rates (threads.bench.mjs compares thread counts).
await init({ threads: 1 });
await tf.setBackend('wasm');
await tf.ready();

const ROUNDS = 15;
console.log(`\n### gemm, float32 and float64 (${machine()})\n`);
console.log(
  `Medians of ${ROUNDS} interleaved rounds (a ratio is the median of the per-round ratios); the SIMD limit (independent f32x4 mul+add chains, best loop shape) is measured in the same rounds as each row. Each timing follows one untimed call, so that every contender starts from its own operands in cache rather than from the previous contender's (cold, 256² and 512² read 76–83% of the limit instead of 99–100%). ` +
    "“Same B” multiplies by the same B tensor every call; there TensorFlow.js packs B once and keeps the packed copy in a cache keyed on B's tensor (tfjs-backend-wasm's batch_mat_mul_impl.cc). " +
    '“New B” writes new values into B before every call, as a training step does to its weights: both libraries then copy B in and pack it on every call.\n',
);
const rows = [];

for (const [label, m, n, k, ta, tb] of SHAPES) {
  const flop = 2 * m * n * k;
  // Interleaved rounds: nnkit f32, TensorFlow.js, nnkit f64 take turns, so load from other work on
  // a shared machine falls on all three alike; each figure is the median over the rounds.
  const contenders = [];
  const bValues = Float32Array.from({ length: k * n }, (_, i) => Math.sin(i));
  for (const [dtype, newB] of [['float32', false], ['float32', true], ['float64', false]]) {
    const a = randn(ta ? [k, m] : [m, k], { seed: 1, dtype });
    const b = randn(tb ? [n, k] : [k, n], { seed: 2, dtype });
    const out = zeros([m, n], dtype);
    contenders.push({
      run: () => {
        if (newB) b.assign(bValues);
        matmul(a, b, { transposeA: ta, transposeB: tb, out });
      },
      free: () => {
        for (const t of [a, b, out]) t.dispose();
      },
    });
  }
  const tfA = tf.randomNormal(ta ? [k, m] : [m, k]);
  const tfB = tf.randomNormal(tb ? [n, k] : [k, n]);
  for (const newB of [false, true]) {
    contenders.push({
      run: () => {
        const b = newB ? tf.tensor(bValues, tfB.shape) : tfB;
        const c = tf.matMul(tfA, b, ta, tb);
        c.dataSync();
        c.dispose();
        if (newB) b.dispose();
      },
      free: () => {
        if (!newB) for (const t of [tfA, tfB]) t.dispose();
      },
    });
  }
  const times = contenders.map(() => []);
  const peaks = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, c] of contenders.entries()) times[i].push(medianMs(c.run, { repeats: 1, warmup: round === 0 ? 3 : 1, minMs: 10 }));
    peaks.push(simdPeakGflops({ repeats: 1 }));
  }
  for (const c of contenders) c.free();
  // GFLOP/s per round; a ratio is the median of the ratios within each round, so that a change in
  // the machine's speed between rounds does not move it.
  const [f32, f32NewB, f64, tfG, tfNewB] = times.map((ts) => ts.map((t) => flop / t / 1e6));
  rows.push([
    label, fmt(median(f32)), fmt(median(peaks)), `${fmt(100 * pairedRatio(f32, peaks), 0)}%`, fmt(median(tfG)), `${fmt(pairedRatio(f32, tfG), 2)}×`,
    fmt(median(f32NewB)), fmt(median(tfNewB)), `${fmt(pairedRatio(f32NewB, tfNewB), 2)}×`, fmt(median(f64)), `${fmt(100 * pairedRatio(f64, f32), 0)}%`,
  ]);
}
table(
  [
    'shape', 'nnkit f32 GFLOP/s', 'SIMD limit GFLOP/s', 'of the limit', 'tfjs-wasm GFLOP/s', 'nnkit / tfjs',
    'new B: nnkit f32', 'new B: tfjs-wasm', 'new B: nnkit / tfjs', 'nnkit f64 GFLOP/s', 'f64 / f32',
  ],
  rows,
);
