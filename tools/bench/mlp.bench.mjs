// MLP training on MNIST: nnkit beside TensorFlow.js (wasm and cpu backends, tf.sequential + fit)
// and, where the system Python has Debian's python3-torch, PyTorch on one thread (mlp_torch.py): the
// same network (784-256-128-10, ReLU, softmax cross-entropy, Adam 1e-3, batch 64, He init)
// and a variant with batch norm and dropout 0.2, the same 8,000/1,000/1,000 split, in one run.
// Each configuration runs in its own child process, so that peak memory (max RSS) and JIT state
// belong to it alone. The children stay alive and take turns: round r runs epoch r of every
// configuration one after the other (the others wait, idle), so a change in the shared machine's
// speed falls on all of them alike, and a ratio is the median of the per-round ratios. Reported:
// s/epoch, samples/s, test accuracy after the epochs and peak memory — as ratios to nnkit.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, machine, median, pairedRatio, serveEpochs, startChild, table } from './lib.mjs';

const SPLIT = { train: 8000, dev: 1000, test: 1000, seed: 1 };
const BATCH = 64;
const LEARNING_RATE = 1e-3;
const DROPOUT = 0.2;
/** Rounds (one epoch of every configuration each); the cpu backend takes ≈ 30–50 s per epoch, so it runs in the first round only. */
const ROUNDS = 3;
const EPOCHS = { nnkit: ROUNDS, nnkit2: ROUNDS, pytorch: ROUNDS, wasm: ROUNDS, cpu: 1 };
const NAMES = { nnkit: 'nnkit (one thread)', nnkit2: 'nnkit (two threads)', pytorch: 'PyTorch (one thread)', wasm: 'TensorFlow.js wasm', cpu: 'TensorFlow.js cpu' };
const PYTHON = '/usr/bin/python3';
const VARIANTS = ['plain', 'bn-dropout'];

/** Threads of nnkit's kernels: one for the 'nnkit' rows, two for 'nnkit2'. */
async function loadSplit(threads = 1) {
  const { init } = await import('@nnkit/tensor-wasm');
  const { mnist } = await import('@nnkit/data/mnist');
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
async function serve(framework, variant) {
  const runner = framework.startsWith('nnkit') ? await nnkitRunner(variant, framework === 'nnkit2' ? 2 : 1) : await tfjsRunner(framework, variant);
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
function startFramework(framework, variant, pythonData) {
  const [command, args] = framework === 'pytorch'
    ? [PYTHON, [fileURLToPath(new URL('./mlp_torch.py', import.meta.url)), variant, pythonData]]
    : [process.execPath, [fileURLToPath(import.meta.url), '--child', framework, variant]];
  return startChild(command, args, `${framework}/${variant}`);
}

if (process.argv[2] === '--child') {
  await serve(process.argv[3], process.argv[4]);
} else {
  console.log(`\n## MLP training on MNIST (784-256-128-10, Adam ${LEARNING_RATE}, batch ${BATCH}, ${SPLIT.train} training digits) — ${machine('nnkit on one and on two threads')}\n`);
  const torch = pytorchVersion();
  console.log(
    `${ROUNDS} interleaved rounds of one epoch per configuration (the cpu backend in the first only); a ratio is the median of the per-round ratios. ` +
      (torch ? `PyTorch ${torch} runs on one thread (torch.set_num_threads(1)).\n` : `PyTorch rows left out: ${PYTHON} cannot import torch (apt-get install python3-torch).\n`),
  );
  const frameworks = torch ? ['nnkit', 'nnkit2', 'pytorch', 'wasm', 'cpu'] : ['nnkit', 'nnkit2', 'wasm', 'cpu'];
  const pythonData = torch ? await writeSplitForPython() : null;
  // nnkit's two variants run back to back in each round: their ratio is the one most sensitive to noise.
  const keys = frameworks.flatMap((framework) => VARIANTS.map((variant) => [framework, variant]));
  const children = Object.fromEntries(keys.map(([f, v]) => [`${f}/${v}`, startFramework(f, v, pythonData)]));
  for (const c of Object.values(children)) await c.ready;
  const seconds = Object.fromEntries(Object.keys(children).map((key) => [key, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [framework, variant] of keys) {
      if (round >= EPOCHS[framework]) continue;
      const key = `${framework}/${variant}`;
      seconds[key].push((await children[key].ask('epoch')).seconds);
    }
  }
  const results = {};
  for (const [framework, variant] of keys) {
    const key = `${framework}/${variant}`;
    const r = await children[key].ask('finish');
    results[key] = { ...r, seconds: seconds[key], epochs: EPOCHS[framework], samplesPerSecond: SPLIT.train / median(seconds[key]) };
  }
  if (pythonData) rmSync(pythonData, { recursive: true, force: true });
  /** How many times faster configuration a trains than b, from the rounds both ran. */
  const faster = (a, b) => {
    const rounds = Math.min(seconds[a].length, seconds[b].length);
    return pairedRatio(seconds[b].slice(0, rounds), seconds[a].slice(0, rounds));
  };
  const rows = [];
  for (const variant of VARIANTS) {
    const base = results[`nnkit/${variant}`];
    for (const framework of frameworks) {
      const r = results[`${framework}/${variant}`];
      // Speed relative to nnkit: 1/N when nnkit is N times faster, N× when the other is.
      const f = faster(`nnkit/${variant}`, `${framework}/${variant}`);
      const speed = framework === 'nnkit' ? '1' : f >= 1 ? `1/${fmt(f, f < 10 ? 2 : 1)}` : `${fmt(1 / f, 2)}×`;
      rows.push([
        NAMES[framework], variant === 'plain' ? 'plain' : `batch norm + dropout ${DROPOUT}`, String(r.epochs),
        fmt(median(r.seconds), 2), fmt(r.samplesPerSecond, 0), speed,
        `${fmt(r.accuracy * 100, 1)}%`, fmt((r.peakRssBytes / 2 ** 20), 0), fmt(r.peakRssBytes / base.peakRssBytes, 2),
      ]);
    }
  }
  table(['framework', 'model', 'epochs', 's/epoch (median)', 'samples/s', 'speed vs nnkit', 'test accuracy', 'peak RSS MB', 'memory vs nnkit'], rows);
  console.log(`\nnnkit vs TensorFlow.js wasm: ${fmt(faster('nnkit/plain', 'wasm/plain'), 1)}× (plain), ${fmt(faster('nnkit/bn-dropout', 'wasm/bn-dropout'), 1)}× (batch norm + dropout); target ≥ 8×`);
  console.log(`nnkit vs TensorFlow.js cpu: ${fmt(faster('nnkit/plain', 'cpu/plain'), 0)}× (plain), ${fmt(faster('nnkit/bn-dropout', 'cpu/bn-dropout'), 0)}× (batch norm + dropout); target ≥ 50×`);
  if (torch) console.log(`nnkit vs PyTorch on one thread: ${fmt(faster('nnkit/plain', 'pytorch/plain'), 2)}× (plain), ${fmt(faster('nnkit/bn-dropout', 'pytorch/bn-dropout'), 2)}× (batch norm + dropout)`);
  console.log(`nnkit on two threads vs one: ${fmt(faster('nnkit2/plain', 'nnkit/plain'), 2)}× (plain), ${fmt(faster('nnkit2/bn-dropout', 'nnkit/bn-dropout'), 2)}× (batch norm + dropout); target ≥ 1.6×`);
  console.log(`nnkit batch norm + dropout vs plain: ${fmt(faster('nnkit/plain', 'nnkit/bn-dropout'), 2)}× slower; target ≤ 1.3×`);
  console.log(`accuracy after ${EPOCHS.nnkit} epochs, nnkit − TensorFlow.js wasm: ${fmt((results['nnkit/plain'].accuracy - results['wasm/plain'].accuracy) * 100, 1)} points (plain), ${fmt((results['nnkit/bn-dropout'].accuracy - results['wasm/bn-dropout'].accuracy) * 100, 1)} (batch norm + dropout); the cpu rows ran ${EPOCHS.cpu} epoch`);
  console.log(`nnkit WebAssembly memory: ${fmt(results['nnkit/plain'].wasmBytes / 2 ** 20, 0)} MB (plain), ${fmt(results['nnkit/bn-dropout'].wasmBytes / 2 ** 20, 0)} MB (batch norm + dropout)`);
}
