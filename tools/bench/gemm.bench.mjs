// gemm GFLOP/s of nnkit beside TensorFlow.js's wasm backend (XNNPACK, SIMD, one thread in Node) on
// the same shapes, in one run, with the SIMD limit measured in this process next to every row.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { init, matmul, randn, zeros } from '@nnkit/tensor-wasm';
import { fmt, machine, medianMs, simdPeakGflops, table } from './lib.mjs';

await init();
await tf.setBackend('wasm');
await tf.ready();

// [label, m, n, k, transposeA, transposeB]; the MLP rows are a dense 784→256 layer at batch 64:
// forward X·W, the weight gradient Xᵀ·dZ, and the input gradient dZ·Wᵀ.
const SHAPES = [
  ['64×64·64×64', 64, 64, 64, false, false],
  ['256² square', 256, 256, 256, false, false],
  ['512² square', 512, 512, 512, false, false],
  ['1024² square', 1024, 1024, 1024, false, false],
  ['MLP forward 64×784·784×256', 64, 256, 784, false, false],
  ['MLP dW (784×64)ᵀ-stored·64×256, transposeA', 784, 256, 64, true, false],
  ['MLP dX 64×256·(784×256)ᵀ, transposeB', 64, 784, 256, false, true],
];

console.log(`\n### gemm, float32 and float64 (${machine()})\n`);
console.log('Medians of 9 interleaved rounds; the SIMD limit (independent f32x4 mul+add chains, best loop shape) is measured in the same rounds as each row.\n');
const rows = [];
const ROUNDS = 9;
for (const [label, m, n, k, ta, tb] of SHAPES) {
  const flop = 2 * m * n * k;
  // Interleaved rounds: nnkit f32, TensorFlow.js, nnkit f64 take turns, so load from other work on
  // a shared machine falls on all three alike; each figure is the median over the rounds.
  const contenders = [];
  for (const dtype of ['float32', 'float64']) {
    const a = randn(ta ? [k, m] : [m, k], { seed: 1, dtype });
    const b = randn(tb ? [n, k] : [k, n], { seed: 2, dtype });
    const out = zeros([m, n], dtype);
    contenders.push({ run: () => matmul(a, b, { transposeA: ta, transposeB: tb, out }), free: () => [a, b, out].forEach((t) => t.dispose()) });
  }
  const tfA = tf.randomNormal(ta ? [k, m] : [m, k]);
  const tfB = tf.randomNormal(tb ? [n, k] : [k, n]);
  contenders.push({
    run: () => {
      const c = tf.matMul(tfA, tfB, ta, tb);
      c.dataSync();
      c.dispose();
    },
    free: () => [tfA, tfB].forEach((t) => t.dispose()),
  });
  const times = contenders.map(() => []);
  const peaks = [];
  for (let round = 0; round < ROUNDS; round++) {
    contenders.forEach((c, i) => times[i].push(medianMs(c.run, { repeats: 1, warmup: round === 0 ? 3 : 0, minMs: 10 })));
    peaks.push(simdPeakGflops({ repeats: 1 }));
  }
  const peak = peaks.sort((x, y) => x - y)[Math.floor(ROUNDS / 2)];
  contenders.forEach((c) => c.free());
  const [f32, f64, tfG] = times.map((ts) => flop / ts.sort((x, y) => x - y)[Math.floor(ROUNDS / 2)] / 1e6);
  rows.push([
    label, fmt(f32), fmt(peak), `${fmt((100 * f32) / peak, 0)}%`, fmt(tfG), `${fmt(f32 / tfG, 2)}×`, fmt(f64), `${fmt((100 * f64) / f32, 0)}%`,
  ]);
}
table(['shape', 'nnkit f32 GFLOP/s', 'SIMD limit GFLOP/s', 'of the limit', 'tfjs-wasm GFLOP/s', 'nnkit / tfjs', 'nnkit f64 GFLOP/s', 'f64 / f32'], rows);
