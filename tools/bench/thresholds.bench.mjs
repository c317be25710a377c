// Where splitting an op over two threads starts to pay: every kind of op the pool splits (the gemm,
// an optimizer update, the row-wise passes of a dense layer, batch-norm normalization), timed at
// sizes on both sides of the shipped thresholds, on the calling thread alone and split over two
// threads. That is the choice a threshold makes once a pool exists, so both run with a pool of two
// threads (init({ threads: 2 })) and the benchmarks' threshold override (see
// packages/tensor-wasm/src/parallel-thresholds.ts) decides: never split, or split into two parts at
// exactly this size — a row reads "if the threshold were this size", whatever the shipped constants.
// The two timings of an op follow each other, their order alternating between rounds, and a
// speed-up is the median of the per-round ratios, printed with their range. The break-even of an
// op is the smallest size from which every size timed (every shape, for the gemm) is at least
// BREAK_EVEN× faster split.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import {
  activationBackward, adamUpdate, backendInfo, batchNormNormalize, denseForward, init, matmul, ones, randn, sgdUpdate, zeros,
} from '@nnkit/tensor-wasm';
import { fmt, machine, median, medianMs, pairedRatio, table } from './lib.mjs';

const KEY = Symbol.for('nnkit.parallelThresholds');
// The constants in parallel-thresholds.ts (DEFAULT_THRESHOLDS, not exported), read from the source
// and printed beside the break-evens: `name: 1 << k` entries.
const SHIPPED = Object.fromEntries(
  [...readFileSync(new URL('../../packages/tensor-wasm/src/parallel-thresholds.ts', import.meta.url), 'utf8').matchAll(/^\s*(\w+): 1 << (\d+),/gm)]
    .map(([, name, k]) => [name, 2 ** Number(k)]),
);
const ROUNDS = Number(process.env.THRESHOLD_ROUNDS ?? 15); // THRESHOLD_ROUNDS=30: more rounds
const BREAK_EVEN = 1.1;
const NEVER = Number.POSITIVE_INFINITY;
/**
 * Each timing of an op is the fastest of 25 short runs (≥ 0.2 ms each): other processes on a
 * shared machine only ever add time, and a worker that waits for a core makes a split op wait for
 * it; the fastest run is the op when both cores were free. On a loaded machine even that is rare
 * within one timing, so the tables also give the fastest timing of all rounds ("best"), the
 * estimate of what a quiet machine does.
 */
const TIMING = { repeats: 25, warmup: 3, minMs: 0.2, pick: 'min' };
const pow2 = (x) => `2^${fmt(Math.log2(x), Number.isInteger(Math.log2(x)) ? 0 : 1)}`;

await init({ threads: 1 });

// [label, m, n, k, transposeA, transposeB]: square-ish products from 2¹² to 2²² multiply-adds, and
// the benchmark MLP's (784-256-128-10, batch 64) products: each layer's forward X·W, input gradient
// dZ·Wᵀ (transposeB) and weight gradient Xᵀ·dZ (transposeA).
const GEMMS = [
  ['16×16·16×16', 16, 16, 16], ['32×32·32×16', 32, 16, 32], ['32×32·32×32', 32, 32, 32],
  ['64×32·32×32', 64, 32, 32], ['64×32·32×64', 64, 64, 32], ['64×64·64×64', 64, 64, 64],
  ['128×64·64×64', 128, 64, 64], ['128×64·64×128', 128, 128, 64], ['128×128·128×128', 128, 128, 128],
  ['256×128·128×128', 256, 128, 128],
  ['MLP out 64×128·128×10', 64, 10, 128], ['MLP out dX 64×10·(128×10)ᵀ', 64, 128, 10, false, true],
  ['MLP out dW (64×128)ᵀ·64×10', 128, 10, 64, true, false],
  ['MLP hidden 64×256·256×128', 64, 128, 256], ['MLP hidden dX 64×128·(256×128)ᵀ', 64, 256, 128, false, true],
  ['MLP hidden dW (64×256)ᵀ·64×128', 256, 128, 64, true, false],
  ['MLP first 64×784·784×256', 64, 256, 784],
];
const ELEMENTS = Array.from({ length: 11 }, (_, i) => 1 << (10 + i)); // 2¹⁰ … 2²⁰
const COLUMNS = 128; // of the row-wise passes: 2¹⁰ elements are 8 rows, 2²⁰ are 8,192

const only = (name, size) => ({ gemmMacs: NEVER, minElements: NEVER, minRowElements: NEVER, minBiasActivationElements: NEVER, [name]: size });
const cases = [];
for (const [label, m, n, k, ta = false, tb = false] of GEMMS) {
  const a = randn(ta ? [k, m] : [m, k], { seed: 1 });
  const b = randn(tb ? [n, k] : [k, n], { seed: 2 });
  const out = zeros([m, n]);
  cases.push({ kind: 'gemm', label, size: m * n * k, force: only('gemmMacs', m * n * k), run: () => matmul(a, b, { transposeA: ta, transposeB: tb, out }) });
}
for (const size of ELEMENTS) {
  const [w, g] = [1, 2].map((seed) => randn([size], { seed }));
  const m = zeros([size]);
  const v = ones([size]); // positive second moments: every value stays finite
  const force = only('minElements', size);
  cases.push({ kind: 'adam', label: `${size}`, size, force, run: () => adamUpdate(w, g, m, v, { lr: 1e-9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 10 }) });
  cases.push({ kind: 'sgd', label: `${size}`, size, force, run: () => sgdUpdate(w, g, { lr: 1e-9 }) });
}
for (const size of ELEMENTS) {
  const rows = size / COLUMNS;
  const label = `${rows}×${COLUMNS}`;
  const force = only('minRowElements', size);
  // bias + ReLU alone: denseForward with k = 0 (its product only zero-fills z, on the calling
  // thread) less that product, timed in the same half-round. The pass reads what the product just
  // wrote from the calling thread's caches; after a split product (a dense layer whose pass is
  // large enough to split) part of it is in the worker's, but the split product's own variation
  // on a shared machine hides the pass's.
  const b = randn([COLUMNS], { seed: 3 });
  const y = zeros([rows, COLUMNS]);
  const w0 = zeros([0, COLUMNS]);
  const x0 = zeros([rows, 0]);
  cases.push({
    kind: 'bias + ReLU', label, size, force: only('minBiasActivationElements', size),
    run: () => denseForward(x0, w0, b, { activation: 'relu', out: y }), less: () => matmul(x0, w0, { out: y }),
  });
  const dy = randn([rows, COLUMNS], { seed: 4 });
  const a = randn([rows, COLUMNS], { seed: 5 });
  const dz = zeros([rows, COLUMNS]);
  // Without a bias gradient: with one, activationBackward runs one pass on the calling thread at
  // every size (split, dz over the pool and then db's column sums on the calling thread ran
  // 0.73–0.80× that one pass from 2¹⁰ to 2²⁰ elements).
  cases.push({ kind: 'activationBackward (ReLU)', label, size, force, run: () => activationBackward(dy, a, { activation: 'relu', out: dz }) });
  const mean = randn([COLUMNS], { seed: 6 });
  const std = ones([COLUMNS]);
  const xhat = zeros([rows, COLUMNS]);
  const yn = zeros([rows, COLUMNS]);
  cases.push({ kind: 'batchNormNormalize', label, size, force, run: () => batchNormNormalize(dy, mean, std, std, mean, { xhat, out: yn }) });
}
// THRESHOLD_KINDS=gemm,adam times only the kinds whose names start with one of these.
const wanted = process.env.THRESHOLD_KINDS?.split(',');
if (wanted) cases.splice(0, cases.length, ...cases.filter((c) => wanted.some((w) => c.kind.startsWith(w))));
const KINDS = [...new Set(cases.map((c) => c.kind))];
const THRESHOLD_OF = { gemm: 'gemmMacs', adam: 'minElements', sgd: 'minElements' };
const thresholdOf = (kind) => THRESHOLD_OF[kind] ?? (kind.startsWith('bias') ? 'minBiasActivationElements' : 'minRowElements');
for (const c of cases) Object.assign(c, { ms: { 1: [], 2: [] }, runMs: { 1: [], 2: [] }, lessMs: { 1: [], 2: [] } });

const load = [loadavg()];
const t0 = performance.now();
const UNSPLIT = only('gemmMacs', NEVER);
await init({ threads: 2 });
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) {
    // 1: on the calling thread, 2: split over two threads; which goes first alternates.
    for (const threads of round % 2 ? [2, 1] : [1, 2]) {
      globalThis[KEY] = threads === 1 ? UNSPLIT : c.force;
      await init({ threads: 2 }); // rereads the override
      const ms = medianMs(c.run, TIMING);
      const less = c.less ? medianMs(c.less, TIMING) : 0;
      c.ms[threads].push(ms - less);
      c.runMs[threads].push(ms);
      c.lessMs[threads].push(less);
    }
  }
}
delete globalThis[KEY];
await init({ threads: 1 });
load.push(loadavg());

const us = (ms) => fmt(ms * 1000, ms < 0.01 ? 2 : 1);
console.log(`\n### Split thresholds: the calling thread against two threads (${machine('a pool of two threads')}; ${JSON.stringify(backendInfo())})\n`);
console.log(`${ROUNDS} rounds in ${fmt((performance.now() - t0) / 1000, 0)} s; load average (1, 5, 15 min) ${load.map((l) => l.map((x) => fmt(x, 2)).join(' ')).join(' at the start, ')} at the end. A pool of two threads throughout; “1 thread”: the op on the calling thread, “2 threads”: split into two parts at its own size. Each timing is the fastest of 25 short runs; speed-up: the median of the per-round ratios, with their range; best: the fastest timing of all rounds.\n`);
/** The smallest size from which every row (every shape, for the gemm) gains at least BREAK_EVEN. */
function breakEvenOf(rows, ratio) {
  let from = null;
  for (let i = rows.length - 1; i >= 0 && ratio(rows[i]) >= BREAK_EVEN; i--) from = rows[i].size;
  return from === null ? 'none in the sweep' : pow2(from);
}
const summary = [];
for (const kind of KINDS) {
  const rows = cases.filter((c) => c.kind === kind).sort((p, q) => p.size - q.size);
  for (const c of rows) {
    const ratios = c.ms[1].map((x, i) => x / c.ms[2][i]);
    c.ratio = pairedRatio(c.ms[1], c.ms[2]);
    c.range = `${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)}`;
    c.best = [1, 2].map((t) => Math.min(...c.runMs[t]) - Math.min(...c.lessMs[t]));
    c.bestRatio = c.best[0] / c.best[1];
  }
  summary.push([kind, breakEvenOf(rows, (c) => c.ratio), breakEvenOf(rows, (c) => c.bestRatio), pow2(SHIPPED[thresholdOf(kind)])]);
  console.log(`\n#### ${kind}\n`);
  table(
    [kind === 'gemm' ? 'product' : 'elements', kind === 'gemm' ? 'multiply-adds' : 'size', 'µs, 1 thread', 'µs, 2 threads', 'speed-up (range)', 'best µs, 1 / 2 threads', 'best speed-up'],
    rows.map((c) => [
      c.label, pow2(c.size), us(median(c.ms[1])), us(median(c.ms[2])), `${fmt(c.ratio, 2)}× (${c.range})`,
      `${us(c.best[0])} / ${us(c.best[1])}`, `${fmt(c.bestRatio, 2)}×`,
    ]),
  );
}
console.log(`\n#### Break-even (split ≥ ${BREAK_EVEN}× faster from this size on) beside the shipped threshold\n`);
table(['op', 'break-even (median speed-up)', 'break-even (best speed-up)', 'shipped threshold'], summary);
