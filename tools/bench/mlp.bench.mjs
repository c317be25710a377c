// MLP training on MNIST: nnkit beside TensorFlow.js (wasm and cpu backends, tf.sequential + fit)
// and, where the system Python has Debian's python3-torch, PyTorch on one and on two threads
// (mlp_torch.py): the same network (784-256-128-10, ReLU, softmax cross-entropy, Adam 1e-3, batch
// 64, He init) and a variant with batch norm and dropout 0.2, the same 8,000/1,000/1,000 split, in
// one run. Each configuration runs in its own child process, so that peak memory (max RSS) and JIT
// state belong to it alone. The children stay alive and take turns: round r runs epoch r of every
// configuration one after the other (the others wait, idle), so a change in the shared machine's
// speed falls on all of them alike. A ratio is the median of the per-round ratios, printed with
// their range; rounds are added (up to a cap) until it agrees within 5% with the ratio of the
// medians printed beside it, so that the table reads the same whichever way it is divided.
// Reported: s/epoch, samples/s, test accuracy after the epochs and peak memory — as ratios to nnkit.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, machine, median, serveEpochs, startChild, table } from './lib.mjs';

const SPLIT = { train: 8000, dev: 1000, test: 1000, seed: 1 };
const BATCH = 64;
const LEARNING_RATE = 1e-3;
const DROPOUT = 0.2;
/**
 * Rounds of one epoch of every configuration: at least MIN_ROUNDS, then more until every ratio to
 * nnkit agrees with the ratio of the medians within AGREEMENT, at most MAX_ROUNDS. The cpu backend
 * takes ≈ 20–50 s per epoch, so it runs in the first round only.
 */
const MIN_ROUNDS = 5;
const MAX_ROUNDS = 15;
const AGREEMENT = 0.05;
/** The rows, in table order; `threads` is passed to the child. */
const CONFIGS = [
  { key: 'nnkit', name: 'nnkit (one thread)', kind: 'nnkit', threads: 1 },
  { key: 'nnkit-2', name: 'nnkit (two threads)', kind: 'nnkit', threads: 2 },
  { key: 'pytorch', name: 'PyTorch (one thread)', kind: 'pytorch', threads: 1 },
  { key: 'pytorch-2', name: 'PyTorch (two threads)', kind: 'pytorch', threads: 2 },
  { key: 'wasm', name: 'TensorFlow.js wasm', kind: 'wasm', threads: 1 },
  { key: 'cpu', name: 'TensorFlow.js cpu', kind: 'cpu', threads: 1, firstRoundOnly: true },
];
const PYTHON = '/usr/bin/python3';
const VARIANTS = ['plain', 'bn-dropout'];

async function loadSplit(threads = 1) {
  const { init } = await import('@nnkit/tensor-wasm');
  const { mnist } = await import('@nnkit/data/mnist');
  // The thread count is explicit: the other frameworks' rows use nnkit only to read the digits.
  await init({ threads });
  const digits = await mnist();
  const parts = digits.split(SPLIT);
  // Pixels in [0, 1] as the mnist package gives them: the same inputs for every framework.
  const plain = (p) => ({ x: p.x.toArray(), y: p.y.toArray(), m: p.x.shape[0] });
  return { train: plain(parts.train), test: plain(parts.test) };
}

function labelsOf(y, m) {
  const out = new Int32Array(m);
  for (let r = 0; r < m; r++) for (let c = 0; c < 10; c++) if (y[r * 10 + c] === 1) out[r] = c;
  return out;
}

async function nnkitRunner(variant, threads) {
  const { tensor, memory, backendInfo } = await import('@nnkit/tensor-wasm');
  const { sequential, dense, batchNorm, activation, dropout } = await import('@nnkit/layers');
  const { adam } = await import('@nnkit/optimizers');
  const { train, test } = await loadSplit(threads);
  const hidden = (units) =>
    variant === 'plain'
      ? [dense(units, { activation: 'relu', init: 'he' })]
      : [dense(units, { init: 'he', useBias: false }), batchNorm(), activation('relu'), dropout(DROPOUT)];
  const model = sequential([...hidden(256), ...hidden(128), dense(10, { init: 'he' })], { inputShape: [784], seed: 1 });
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: LEARNING_RATE }), metrics: ['accuracy'] });
  const x = tensor(train.x, [train.m, 784]);
  const y = tensor(train.y, [train.m, 10]);
  let epoch = 0;
  return {
    epoch: async () => {
      epoch++;
      await model.fit(x, y, { epochs: 1, batchSize: BATCH, seed: epoch });
    },
    finish: () => {
      const accuracy = model.evaluate(tensor(test.x, [test.m, 784]), tensor(test.y, [test.m, 10])).accuracy;
      return { accuracy, liveBytes: memory().bytes, wasmBytes: backendInfo().memoryBytes };
    },
  };
}

async function tfjsRunner(backend, variant) {
  const tf = await import('@tensorflow/tfjs-core');
  const tfl = await import('@tensorflow/tfjs-layers');
  await import(backend === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : '@tensorflow/tfjs-backend-cpu');
  await tf.setBackend(backend);
  await tf.ready();
  const { train, test } = await loadSplit();
  const model = tfl.sequential();
  const hidden = (units, first) => {
    const input = first ? { inputShape: [784] } : {};
    if (variant === 'plain') return [tfl.layers.dense({ units, activation: 'relu', kernelInitializer: 'heNormal', ...input })];
    return [
      tfl.layers.dense({ units, useBias: false, kernelInitializer: 'heNormal', ...input }),
      tfl.layers.batchNormalization(),
      tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.dropout({ rate: DROPOUT }),
    ];
  };
  for (const l of [...hidden(256, true), ...hidden(128, false), tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'heNormal' })]) model.add(l);
  model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.tensor2d(train.x, [train.m, 784]);
  const y = tf.tensor2d(train.y, [train.m, 10]);
  return {
    epoch: () => model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 }),
    finish: async () => {
      const predicted = await tf.argMax(model.predict(tf.tensor2d(test.x, [test.m, 784])), 1).data();
      const truth = labelsOf(test.y, test.m);
      let correct = 0;
      for (let i = 0; i < test.m; i++) if (predicted[i] === truth[i]) correct++;
      return { accuracy: correct / test.m, liveBytes: tf.memory().numBytes, wasmBytes: null };
    },
  };
}

/** A child's side: build the model, say ready, then run an epoch per `epoch` line and report at `finish`. */
async function serve(framework, variant, threads) {
  const runner = framework === 'nnkit' ? await nnkitRunner(variant, threads) : await tfjsRunner(framework, variant);
  // maxRSS is in kilobytes: the process's peak resident memory.
  await serveEpochs({ ready: true }, () => runner.epoch(), async () => ({ ...(await runner.finish()), peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
}

/** PyTorch's version when the system Python imports it, else null (the PyTorch rows are left out). */
function pytorchVersion() {
  try {
    return execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** Names the BLAS PyTorch loaded, and warns when it is the reference one (see mlp_torch.py). */
function blasText(path) {
  if (path === null) return 'an unknown BLAS';
  if (/openblas|mkl|blis/i.test(path)) return `${path}`;
  return `${path}, the reference BLAS: PyTorch's products run about 17× slower than with OpenBLAS (apt-get install libopenblas0-pthread), so its rows understate PyTorch`;
}

/** Writes the split as raw float32 files for mlp_torch.py; returns their folder. */
async function writeSplitForPython() {
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-mlp-bench-'));
  const { train, test } = await loadSplit();
  const write = (name, values) => writeFileSync(join(dir, `${name}.f32`), Buffer.from(Float32Array.from(values).buffer));
  write('train_x', train.x);
  write('train_y', train.y);
  write('test_x', test.x);
  write('test_y', test.y);
  return dir;
}

/** The parent's side of one child: send a command line, await its one-line JSON answer. */
function startConfig(config, variant, pythonData) {
  const [command, args] = config.kind === 'pytorch'
    ? [PYTHON, [fileURLToPath(new URL('./mlp_torch.py', import.meta.url)), variant, pythonData, String(config.threads)]]
    : [process.execPath, [fileURLToPath(import.meta.url), '--child', config.kind, variant, String(config.threads)]];
  // OpenBLAS keeps its own thread pool (every core by default): it gets the row's thread count too.
  const env = config.kind === 'pytorch' ? { OPENBLAS_NUM_THREADS: String(config.threads) } : {};
  return startChild(command, args, `${config.key}/${variant}`, env);
}

/**
 * How many times faster configuration a trains than b over the rounds both ran: the median of the
 * per-round ratios, their range, and the ratio of the two medians over the same rounds.
 */
function faster(a, b) {
  const rounds = Math.min(a.length, b.length);
  const ratios = a.slice(0, rounds).map((t, i) => b[i] / t);
  return {
    median: median(ratios),
    low: Math.min(...ratios),
    high: Math.max(...ratios),
    ofMedians: median(b.slice(0, rounds)) / median(a.slice(0, rounds)),
  };
}

/** Whether the median of the per-round ratios and the ratio of the medians agree within AGREEMENT. */
const agrees = (f) => Math.abs(f.median / f.ofMedians - 1) <= AGREEMENT;

/** A ratio to nnkit as the table shows it: 1/N when nnkit is N times faster, N× when the other is. */
function speedText(x) {
  return x >= 1 ? `1/${fmt(x, x < 10 ? 2 : 1)}` : `${fmt(1 / x, 2)}×`;
}

if (process.argv[2] === '--child') {
  await serve(process.argv[3], process.argv[4], Number(process.argv[5] ?? 1));
} else {
  console.log(`\n## MLP training on MNIST (784-256-128-10, Adam ${LEARNING_RATE}, batch ${BATCH}, ${SPLIT.train} training digits) — ${machine('threads as each row says')}\n`);
  const torch = pytorchVersion();
  const configs = CONFIGS.filter((c) => torch || c.kind !== 'pytorch');
  const pythonData = torch ? await writeSplitForPython() : null;
  // nnkit's two variants run back to back in each round: their ratio is the one most sensitive to noise.
  const keys = configs.flatMap((config) => VARIANTS.map((variant) => ({ config, variant, key: `${config.key}/${variant}` })));
  const children = Object.fromEntries(keys.map(({ config, variant, key }) => [key, startConfig(config, variant, pythonData)]));
  const ready = await Promise.all(Object.values(children).map((c) => c.ready));
  const blas = ready.find((r) => r.blas !== undefined)?.blas ?? null; // the PyTorch children name theirs
  const seconds = Object.fromEntries(keys.map(({ key }) => [key, []]));
  // The ratios that must agree before the rounds stop: every row that runs each round against nnkit
  // of its variant, and nnkit's batch norm + dropout against plain.
  const checked = [
    ...keys.filter(({ config }) => config.key !== 'nnkit' && !config.firstRoundOnly).map(({ variant, key }) => [`nnkit/${variant}`, key]),
    ['nnkit/plain', 'nnkit/bn-dropout'],
  ];
  const disagreeing = () => checked.filter(([a, b]) => !agrees(faster(seconds[a], seconds[b])));
  let rounds = 0;
  while (rounds < MIN_ROUNDS || (rounds < MAX_ROUNDS && disagreeing().length > 0)) {
    for (const { config, key } of keys) {
      if (config.firstRoundOnly && rounds > 0) continue;
      seconds[key].push((await children[key].ask('epoch')).seconds);
    }
    rounds++;
  }
  const results = {};
  for (const { key } of keys) results[key] = { ...(await children[key].ask('finish')), seconds: seconds[key] };
  if (pythonData) rmSync(pythonData, { recursive: true, force: true });

  const unsettled = disagreeing();
  console.log(
    `${rounds} interleaved rounds of one epoch per configuration (the cpu backend in the first only). ` +
      `“s/epoch” is the median over the rounds, with the fastest and slowest round; “speed vs nnkit” is the median of the per-round ratios to nnkit, with their range, ` +
      `and “ratio of medians” divides the s/epoch medians of the same rounds (for the cpu rows: nnkit's first round). ` +
      (unsettled.length === 0
        ? `Rounds were added until the two agreed within ${fmt(AGREEMENT * 100, 0)}% on every row (the cpu rows, one round, excepted). `
        : `After the cap of ${MAX_ROUNDS} rounds they still differ by more than ${fmt(AGREEMENT * 100, 0)}% for ${unsettled.map(([a, b]) => `${b} vs ${a}`).join(', ')}: the machine's speed changed too much between rounds. `) +
      (torch ? `PyTorch ${torch} runs with torch.set_num_threads(1) and (2) (and OPENBLAS_NUM_THREADS the same) and the multi-tensor Adam (foreach=True, its fastest here; see mlp_torch.py), its products through ${blasText(blas)}.\n` : `PyTorch rows left out: ${PYTHON} cannot import torch (apt-get install python3-torch).\n`),
  );
  const rows = [];
  for (const variant of VARIANTS) {
    const base = results[`nnkit/${variant}`];
    for (const config of configs) {
      const r = results[`${config.key}/${variant}`];
      const f = faster(base.seconds, r.seconds);
      const isBase = config.key === 'nnkit';
      rows.push([
        config.name, variant === 'plain' ? 'plain' : `batch norm + dropout ${DROPOUT}`, String(r.seconds.length),
        `${fmt(median(r.seconds), 2)} (${fmt(Math.min(...r.seconds), 2)}–${fmt(Math.max(...r.seconds), 2)})`, fmt(SPLIT.train / median(r.seconds), 0),
        isBase ? '1' : `${speedText(f.median)} (${speedText(f.low)} – ${speedText(f.high)})`, isBase ? '1' : speedText(f.ofMedians),
        `${fmt(r.accuracy * 100, 1)}%`, fmt(r.peakRssBytes / 2 ** 20, 0), fmt(r.peakRssBytes / base.peakRssBytes, 2),
      ]);
    }
  }
  table(['framework', 'model', 'epochs', 's/epoch (median, range)', 'samples/s', 'speed vs nnkit (median, range)', 'ratio of medians', 'test accuracy', 'peak RSS MB', 'memory vs nnkit'], rows);
  const times = (a, b, digits = 1) => {
    const f = faster(seconds[a], seconds[b]);
    return `${fmt(f.median, digits)}× (${fmt(f.low, digits)}–${fmt(f.high, digits)})`;
  };
  console.log(`\nnnkit vs TensorFlow.js wasm: ${times('nnkit/plain', 'wasm/plain')} (plain), ${times('nnkit/bn-dropout', 'wasm/bn-dropout')} (batch norm + dropout); target ≥ 8×`);
  console.log(`nnkit vs TensorFlow.js cpu: ${times('nnkit/plain', 'cpu/plain', 0)} (plain), ${times('nnkit/bn-dropout', 'cpu/bn-dropout', 0)} (batch norm + dropout); target ≥ 50×`);
  if (torch) {
    for (const config of configs.filter((c) => c.kind === 'pytorch')) {
      console.log(`nnkit vs ${config.name}: ${times('nnkit/plain', `${config.key}/plain`, 2)} (plain), ${times('nnkit/bn-dropout', `${config.key}/bn-dropout`, 2)} (batch norm + dropout)`);
    }
  }
  if (torch) {
    // nnkit's default (init() without threads: every core) against PyTorch at whichever thread count was faster.
    for (const variant of VARIANTS) {
      const best = ['pytorch', 'pytorch-2'].sort((a, b) => median(seconds[`${a}/${variant}`]) - median(seconds[`${b}/${variant}`]))[0];
      console.log(`nnkit default (two threads) vs PyTorch at its best (${best === 'pytorch' ? 'one thread' : 'two threads'}), ${variant}: ${times(`nnkit-2/${variant}`, `${best}/${variant}`, 2)}; target ≥ 1.5×`);
    }
  }
  console.log(`nnkit on two threads vs one: ${times('nnkit-2/plain', 'nnkit/plain', 2)} (plain), ${times('nnkit-2/bn-dropout', 'nnkit/bn-dropout', 2)} (batch norm + dropout); target ≥ 1.6×`);
  console.log(`nnkit batch norm + dropout vs plain: ${times('nnkit/plain', 'nnkit/bn-dropout', 2).replace('×', '× slower')}; target ≤ 1.3×`);
  console.log(`accuracy after ${results['nnkit/plain'].seconds.length} epochs, nnkit − TensorFlow.js wasm: ${fmt((results['nnkit/plain'].accuracy - results['wasm/plain'].accuracy) * 100, 1)} points (plain), ${fmt((results['nnkit/bn-dropout'].accuracy - results['wasm/bn-dropout'].accuracy) * 100, 1)} (batch norm + dropout); the cpu rows ran 1 epoch`);
  console.log(`nnkit WebAssembly memory: ${fmt(results['nnkit/plain'].wasmBytes / 2 ** 20, 0)} MB (plain), ${fmt(results['nnkit/bn-dropout'].wasmBytes / 2 ** 20, 0)} MB (batch norm + dropout)`);
}
