// Shared pieces of the benchmarks: timing by medians, the SIMD limit measured in this process, and
// markdown tables. Speed is only ever reported here, as ratios; tests never time anything.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Median of `repeats` timings (ms) of fn, after `warmup` untimed calls; `pick: 'min'` returns the
 * fastest instead (for a limit, which other load on the machine can only hide).
 */
export function medianMs(fn, { repeats = 15, warmup = 3, minMs = 0, pick = 'median' } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let i = 0; i < repeats; i++) {
    // Repeat short calls inside one timing so that timer resolution does not dominate.
    let n = 0;
    const t0 = performance.now();
    let t1 = t0;
    do {
      fn();
      n++;
      t1 = performance.now();
    } while (t1 - t0 < minMs);
    times.push((t1 - t0) / n);
  }
  return pick === 'min' ? Math.min(...times) : median(times);
}

/** The median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The median over rounds of a[i] / b[i], for figures measured side by side in the same rounds: the
 * machine's speed changes between rounds (it is shared) but hardly within one.
 */
export function pairedRatio(a, b) {
  return median(a.map((x, i) => x / b[i]));
}

export async function medianMsAsync(fn, { repeats = 5, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

let probes;
/**
 * The SIMD-limit loops (see peak.ts), compiled once: each `run()` executes one loop shape for a
 * fixed number of iterations and `flop` is what that does. The limit is the fastest shape.
 */
export function simdPeakProbes() {
  if (probes) return probes;
  const require = createRequire(import.meta.url);
  const asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
  const out = join(here, '.peak.wasm');
  execFileSync(process.execPath, [asc, join(here, 'peak.ts'), '-O3', '--runtime', 'stub', '--enable', 'simd', '--initialMemory', '1', '-o', out], { stdio: 'inherit' });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(out)));
  // A 4 KiB buffer of small values at offset 1024 of the module's memory (its data ends before).
  new Float32Array(exports.memory.buffer, 1024, 1024).fill(0.001);
  const iterations = 500_000;
  probes = [
    { run: () => exports.peak_mul_add(iterations), flop: exports.FLOP_MUL_ADD.value * iterations },
    { run: () => exports.peak_split(iterations), flop: exports.FLOP_SPLIT.value * iterations },
    { run: () => exports.peak_accumulate(iterations, 1024), flop: exports.FLOP_ACCUMULATE.value * iterations },
  ];
  return probes;
}

/** GFLOP/s of the fastest SIMD-limit loop, measured now: the single-core WebAssembly SIMD limit. */
export function simdPeakGflops({ repeats = 9 } = {}) {
  return Math.max(...simdPeakProbes().map((p) => p.flop / medianMs(p.run, { repeats, warmup: 2, pick: 'min' }) / 1e6));
}

/**
 * The CPU by name, with what Linux says of its generation and cache: VMs often report a bare
 * "AMD EPYC" or "Intel(R) Xeon(R) Processor", and the gemm's speed depends on the cache sizes.
 */
export function cpuName() {
  const model = cpus()[0]?.model ?? 'unknown CPU';
  let info = '';
  try {
    info = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return model;
  }
  const field = (name) => info.match(new RegExp(`^${name}\\s*:\\s*(.+)$`, 'm'))?.[1].trim();
  const details = [
    field('cpu family') && `family ${field('cpu family')} model ${field('model')}`,
    field('cache size') && `cache size ${field('cache size')}`,
  ].filter(Boolean);
  return details.length > 0 ? `${model} (${details.join(', ')})` : model;
}

/** The machine line of a benchmark's heading; `threads` says how many threads the figures use. */
export function machine(threads = 'one thread') {
  return `${cpuName()}, ${cpus().length} cores, Node ${process.version}, ${threads}`;
}

/** Prints a markdown table; rows are arrays of cells. */
export function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  console.log(lines.join('\n'));
}

export const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/**
 * The parent's side of a benchmark child that answers each command line with one JSON line: `ready`
 * is its first answer, `ask(command)` awaits the next. Its stderr is shown only when it fails
 * (TensorFlow.js prints a banner on every start). `env` adds to the parent's environment.
 */
export function startChild(command, args, label, env = {}) {
  const proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  proc.stderr.on('data', (d) => {
    stderr += d;
  });
  const answers = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await answers.next();
    if (done) throw new Error(`the ${label} child ended early:\n${stderr}`);
    return JSON.parse(value);
  };
  return {
    ready: next(),
    ask: (command) => {
      proc.stdin.write(`${command}\n`);
      return next();
    },
  };
}

/**
 * The child's side: says `ready`, then answers each 'epoch' line with the seconds `epoch()` took and
 * 'finish' with what `finish()` returns, and exits.
 */
export async function serveEpochs(ready, epoch, finish) {
  const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
  say(ready);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'epoch') {
      const t0 = performance.now();
      await epoch();
      say({ seconds: (performance.now() - t0) / 1000 });
    } else if (line === 'finish') {
      say(await finish());
      process.exit(0);
    }
  }
}

/** The products every gemm benchmark times. */
// [label, m, n, k, transposeA, transposeB]; the MLP rows are a dense 784→256 layer at batch 64:
// forward X·W, the weight gradient Xᵀ·dZ, and the input gradient dZ·Wᵀ.
export const GEMM_SHAPES = [
  ['64×64·64×64', 64, 64, 64, false, false],
  ['256² square', 256, 256, 256, false, false],
  ['512² square', 512, 512, 512, false, false],
  ['1024² square', 1024, 1024, 1024, false, false],
  ['MLP forward 64×784·784×256', 64, 256, 784, false, false],
  ['MLP dW (784×64)ᵀ-stored·64×256, transposeA', 784, 256, 64, true, false],
  ['MLP dX 64×256·(784×256)ᵀ, transposeB', 64, 784, 256, false, true],
];
