// MLP training on MNIST: nnkit beside TensorFlow.js (wasm and cpu backends, tf.sequential + fit),
// the same network (784-256-128-10, ReLU, softmax cross-entropy, Adam 1e-3, batch 64, He init)
// and a variant with batch norm and dropout 0.2, the same 8,000/1,000/1,000 split, in one run.
// Each configuration runs in its own child process, so that peak memory (max RSS) and JIT state
// belong to it alone. Reported per epoch: the median samples/s over the epochs run, test accuracy
// after them, and peak memory — as ratios to nnkit.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fmt, machine, table } from './lib.mjs';

const SPLIT = { train: 8000, dev: 1000, test: 1000, seed: 1 };
const BATCH = 64;
const LEARNING_RATE = 1e-3;
const DROPOUT = 0.2;
/** Epochs per framework: the cpu backend takes ≈ 30–50 s per epoch, so it runs one. */
const EPOCHS = { nnkit: 3, wasm: 3, cpu: 1 };
const VARIANTS = ['plain', 'bn-dropout'];

async function loadSplit() {
  const { init } = await import('@nnkit/tensor-wasm');
  const { mnist } = await import('@nnkit/data');
  await init();
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

async function runNnkit(variant, epochs) {
  const { tensor, memory, backendInfo } = await import('@nnkit/tensor-wasm');
  const { sequential, dense, batchNorm, activation, dropout } = await import('@nnkit/layers');
  const { adam } = await import('@nnkit/optimizers');
  const { train, test } = await loadSplit();
  const hidden = (units) =>
    variant === 'plain'
      ? [dense(units, { activation: 'relu', init: 'he' })]
      : [dense(units, { init: 'he', useBias: false }), batchNorm(), activation('relu'), dropout(DROPOUT)];
  const model = sequential([...hidden(256), ...hidden(128), dense(10, { init: 'he' })], { inputShape: [784], seed: 1 });
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: LEARNING_RATE }), metrics: ['accuracy'] });
  const x = tensor(train.x, [train.m, 784]);
  const y = tensor(train.y, [train.m, 10]);
  const seconds = [];
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, seed: e + 1 });
    seconds.push((performance.now() - t0) / 1000);
  }
  const accuracy = model.evaluate(tensor(test.x, [test.m, 784]), tensor(test.y, [test.m, 10])).accuracy;
  return { seconds, accuracy, liveBytes: memory().bytes, wasmBytes: backendInfo().memoryBytes };
}

async function runTfjs(backend, variant, epochs) {
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
  const seconds = [];
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 });
    seconds.push((performance.now() - t0) / 1000);
  }
  const predicted = await tf.argMax(model.predict(tf.tensor2d(test.x, [test.m, 784])), 1).data();
  const truth = labelsOf(test.y, test.m);
  let correct = 0;
  for (let i = 0; i < test.m; i++) if (predicted[i] === truth[i]) correct++;
  return { seconds, accuracy: correct / test.m, liveBytes: tf.memory().numBytes, wasmBytes: null };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (process.argv[2] === '--child') {
  const [, , , framework, variant] = process.argv;
  const epochs = EPOCHS[framework];
  const r = framework === 'nnkit' ? await runNnkit(variant, epochs) : await runTfjs(framework, variant, epochs);
  // maxRSS is in kilobytes: the process's peak resident memory.
  process.stdout.write(`${JSON.stringify({ ...r, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
} else {
  const self = fileURLToPath(import.meta.url);
  const child = (framework, variant) => {
    // The child's stderr is shown only when it fails: TensorFlow.js prints a banner on every start.
    let out;
    try {
      out = execFileSync(process.execPath, [self, '--child', framework, variant], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      process.stderr.write(e.stderr ?? '');
      throw e;
    }
    const r = JSON.parse(out.trim().split('\n').at(-1));
    return { ...r, framework, variant, epochs: EPOCHS[framework], samplesPerSecond: SPLIT.train / median(r.seconds) };
  };
  console.log(`\n## MLP training on MNIST (784-256-128-10, Adam ${LEARNING_RATE}, batch ${BATCH}, ${SPLIT.train} training digits) — ${machine()}\n`);
  const results = {};
  for (const variant of VARIANTS) for (const framework of ['nnkit', 'wasm', 'cpu']) results[`${framework}/${variant}`] = child(framework, variant);
  const rows = [];
  for (const variant of VARIANTS) {
    const base = results[`nnkit/${variant}`];
    for (const framework of ['nnkit', 'wasm', 'cpu']) {
      const r = results[`${framework}/${variant}`];
      const name = framework === 'nnkit' ? 'nnkit' : `TensorFlow.js ${framework}`;
      rows.push([
        name, variant === 'plain' ? 'plain' : `batch norm + dropout ${DROPOUT}`, String(r.epochs),
        fmt(median(r.seconds), 2), fmt(r.samplesPerSecond, 0), framework === 'nnkit' ? '1' : `1/${fmt(base.samplesPerSecond / r.samplesPerSecond, 1)}`,
        `${fmt(r.accuracy * 100, 1)}%`, fmt((r.peakRssBytes / 2 ** 20), 0), fmt(r.peakRssBytes / base.peakRssBytes, 2),
      ]);
    }
  }
  table(['framework', 'model', 'epochs', 's/epoch (median)', 'samples/s', 'speed vs nnkit', 'test accuracy', 'peak RSS MB', 'memory vs nnkit'], rows);
  const r = (k) => results[k].samplesPerSecond;
  console.log(`\nnnkit vs TensorFlow.js wasm: ${fmt(r('nnkit/plain') / r('wasm/plain'), 1)}× (plain), ${fmt(r('nnkit/bn-dropout') / r('wasm/bn-dropout'), 1)}× (batch norm + dropout); target ≥ 8×`);
  console.log(`nnkit vs TensorFlow.js cpu: ${fmt(r('nnkit/plain') / r('cpu/plain'), 0)}× (plain), ${fmt(r('nnkit/bn-dropout') / r('cpu/bn-dropout'), 0)}× (batch norm + dropout); target ≥ 50×`);
  console.log(`nnkit batch norm + dropout vs plain: ${fmt(r('nnkit/plain') / r('nnkit/bn-dropout'), 2)}× slower; target ≤ 1.3×`);
  console.log(`accuracy after ${EPOCHS.nnkit} epochs, nnkit − TensorFlow.js wasm: ${fmt((results['nnkit/plain'].accuracy - results['wasm/plain'].accuracy) * 100, 1)} points (plain), ${fmt((results['nnkit/bn-dropout'].accuracy - results['wasm/bn-dropout'].accuracy) * 100, 1)} (batch norm + dropout); the cpu rows ran ${EPOCHS.cpu} epoch`);
  console.log(`nnkit WebAssembly memory: ${fmt(results['nnkit/plain'].wasmBytes / 2 ** 20, 0)} MB (plain), ${fmt(results['nnkit/bn-dropout'].wasmBytes / 2 ** 20, 0)} MB (batch norm + dropout)`);
}
