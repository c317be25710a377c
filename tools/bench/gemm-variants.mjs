// A/B timing of variants of the gemm kernel (packages/tensor-wasm/assembly/gemm.ts), for tuning it:
//
//   node tools/bench/gemm-variants.mjs [--rounds N] [--check-only] first/gemm.ts second/gemm.ts ...
//
// Each file is a complete copy of assembly/gemm.ts (it imports nothing); the first is the reference,
// e.g. `git show HEAD:packages/tensor-wasm/assembly/gemm.ts > /tmp/a/gemm.ts`. Every variant is
// compiled twice with the package's flags (SIMD and scalar) and must give the reference's bits on
// every check case (odd edges, every transpose, accumulate, row ranges, padded strides, f32 and f64):
// tile sizes, unrolling and blocking may change only the speed, never the order of additions. Then
// the variants take turns on GEMM_SHAPES in the same process, with the SIMD limit measured in every
// round, so that a machine whose speed drifts (or is shared) moves them alike; figures are medians
// over rounds, and ratios medians of the per-round ratios. Not part of `pnpm bench`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fmt, GEMM_SHAPES, machine, median, medianMs, pairedRatio, simdPeakGflops, table } from './lib.mjs';

const args = process.argv.slice(2);
const option = (name) => args.includes(name);
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 15;
const files = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds');
if (files.length < 2) throw new Error('give at least two copies of gemm.ts: the reference first');

const require = createRequire(import.meta.url);
const asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
const FLAGS = ['-O3', '--runtime', 'stub', '--importMemory', '--noExportMemory', '--noAssert']; // as scripts/build-wasm.mjs
const ENTRY = ['f32', 'f64']
  .map(
    (t) => `export function scratch_${t}(): i32 { return gemmScratchBytes<${t}>(); }
export function gemm_${t}(a: usize, b: usize, c: usize, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32,
  transA: bool, transB: bool, accumulate: bool, rowStart: i32, rowEnd: i32, scratch: usize): void {
  gemm<${t}>(a, b, c, n, k, lda, ldb, ldc, transA, transB, accumulate, rowStart, rowEnd, scratch);
}`,
  )
  .join('\n');

// Separate areas per dtype, so that setting up one dtype's inputs never overwrites the other's.
const MiB = 1 << 20;
const SCRATCH = 64 * 1024;
const AREAS = { f32: [2 * MiB, 6 * MiB, 10 * MiB], f64: [14 * MiB, 22 * MiB, 30 * MiB] };

function compile(file, simd) {
  const dir = mkdtempSync(join(tmpdir(), 'gemm-variant-'));
  copyFileSync(file, join(dir, 'gemm.ts'));
  writeFileSync(join(dir, 'entry.ts'), `import { gemm, gemmScratchBytes } from './gemm';\n${ENTRY}\n`);
  const out = join(dir, 'kernel.wasm');
  execFileSync(process.execPath, [asc, 'entry.ts', ...FLAGS, ...(simd ? ['--enable', 'simd'] : []), '-o', out], { cwd: dir, stdio: 'inherit' });
  const memory = new WebAssembly.Memory({ initial: 48 * 16, maximum: 65536 });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(out)), { env: { memory } });
  return { name: `${file}${simd ? '' : ' (scalar)'}`, memory, exports };
}

// Seeded values of varied magnitude, so that any change in rounding shows in the bits.
let seed = 12345;
const random = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
const values = [0, 1, 2].map(() => Float64Array.from({ length: MiB }, () => (random() - 0.5) * Math.exp(4 * (random() - 0.5))));

/** Writes the inputs of one product into a kernel's memory; returns the call and where C is. */
function setUp(kernel, { m, n, k, ta, tb, acc, f64, r0 = 0, r1 = m, pad = 0 }) {
  const [a, b, c] = AREAS[f64 ? 'f64' : 'f32'];
  const lda = (ta ? m : k) + pad;
  const ldb = (tb ? k : n) + pad;
  const ldc = n + pad;
  const Arr = f64 ? Float64Array : Float32Array;
  const sizes = [(ta ? k : m) * lda, (tb ? n : k) * ldb, m * ldc];
  for (const [i, at] of [a, b, c].entries()) new Arr(kernel.memory.buffer, at, sizes[i]).set(values[i].subarray(0, sizes[i]));
  const gemm = f64 ? kernel.exports.gemm_f64 : kernel.exports.gemm_f32;
  return {
    run: () => gemm(a, b, c, n, k, lda, ldb, ldc, ta, tb, acc, r0, r1, SCRATCH),
    bytes: () => new Uint8Array(kernel.memory.buffer, c, sizes[2] * Arr.BYTES_PER_ELEMENT).slice(),
  };
}

const CHECKS = [];
for (const f64 of [false, true]) {
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      for (const acc of [false, true]) {
        for (const [m, n, k] of [[77, 203, 301], [1, 1, 1], [5, 9, 7], [13, 30, 600], [130, 67, 513], [3, 513, 257], [64, 256, 784], [784, 256, 64], [31, 17, 0]]) {
          CHECKS.push({ m, n, k, ta, tb, acc, f64 });
        }
        CHECKS.push({ m: 99, n: 101, k: 260, ta, tb, acc, f64, pad: 3 });
        CHECKS.push({ m: 99, n: 101, k: 260, ta, tb, acc, f64, r0: 13, r1: 70, pad: 1 });
      }
    }
  }
}

const kernels = files.map((f) => compile(f, true));
const all = [...kernels, ...files.map((f) => compile(f, false))];
let mismatches = 0;
for (const check of CHECKS) {
  const results = all.map((kernel) => {
    const product = setUp(kernel, check);
    product.run();
    return product.bytes();
  });
  for (const [i, bytes] of results.entries()) {
    if (bytes.some((x, j) => x !== results[0][j])) {
      mismatches++;
      console.log(`${all[i].name} differs from ${all[0].name} on ${JSON.stringify(check)}`);
    }
  }
}
console.log(`Bits: ${CHECKS.length} products × ${all.length} builds, ${mismatches} mismatches.`);
if (mismatches > 0) process.exit(1);
if (option('--check-only')) process.exit(0);

const names = files.map((_, i) => String.fromCharCode(65 + i)); // A, B, … in the order given
console.log(`\n### gemm variants (${machine()}), load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
console.log(`${files.map((f, i) => `${names[i]}: ${f}`).join('; ')}. Medians of ${rounds} interleaved rounds.\n`);
const rows = [];
for (const [label, m, n, k, ta, tb] of GEMM_SHAPES) {
  const flop = 2 * m * n * k;
  const runs = [false, true].map((f64) => kernels.map((kernel) => setUp(kernel, { m, n, k, ta, tb, acc: false, f64 }).run));
  const rates = runs.map((r) => r.map(() => []));
  const peaks = [];
  for (let round = 0; round < rounds; round++) {
    for (const [d, dtypeRuns] of runs.entries()) {
      for (let j = 0; j < kernels.length; j++) {
        const i = (j + round) % kernels.length; // a different variant goes first in each round
        rates[d][i].push(flop / medianMs(dtypeRuns[i], { repeats: 1, warmup: round === 0 ? 3 : 0, minMs: 15 }) / 1e6);
      }
    }
    peaks.push(simdPeakGflops({ repeats: 1 }));
  }
  const [f32, f64] = rates;
  const row = [label, fmt(median(peaks))];
  for (let i = 0; i < kernels.length; i++) {
    row.push(fmt(median(f32[i])), `${fmt(100 * pairedRatio(f32[i], peaks), 0)}%`);
    if (i > 0) row.push(`${fmt(pairedRatio(f32[i], f32[0]), 3)}×`, `${fmt(pairedRatio(f64[i], f64[0]), 3)}×`);
  }
  rows.push(row);
}
table(
  ['shape', 'SIMD limit GFLOP/s', ...names.flatMap((v, i) => [`${v} f32 GFLOP/s`, `${v} of the limit`, ...(i > 0 ? [`${v} / A f32`, `${v} / A f64`] : [])])],
  rows,
);
