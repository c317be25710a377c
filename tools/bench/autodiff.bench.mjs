// A custom training loop on autodiff beside the fused model: the benchmark MLP (784-256-128-10, ReLU,
// softmax cross-entropy, Adam 1e-3, batch 64, He init, 8,000 MNIST digits) written as a JAX/Optax
// loop with matmul/add/relu/logSoftmax, valueAndGrad and optimizer.step(params, grads), against the
// same network as a fused `sequential` model trained by fit, at the same thread count; and beside
// TensorFlow.js's own custom loop (tf.variableGrads + tf.train.adam) on its wasm backend.
// Each contender runs in its own child process; the children take turns an epoch at a time (round r
// runs epoch r of each), so a change in the shared machine's speed falls on all of them alike, and a
// ratio is the median of the per-round ratios. Target: the custom loop at ≥ 0.6× the fused speed.
import { fileURLToPath } from 'node:url';
import { fmt, machine, median, pairedRatio, serveEpochs, startChild, table } from './lib.mjs';

const SPLIT = { train: 8000, dev: 1000, test: 1000, seed: 1 };
const BATCH = 64;
const LEARNING_RATE = 1e-3;
const UNITS = [784, 256, 128, 10];
/** Rounds: one epoch of every contender each (TensorFlow.js takes ≈ 3 s an epoch, nnkit well under 1 s). */
const ROUNDS = Number(process.env.AUTODIFF_BENCH_ROUNDS ?? 3);
/** The ratio of custom-loop speed to fused speed the issue asks for. */
const TARGET = 0.6;
const NAMES = {
  fused: 'nnkit fused `sequential` + fit',
  custom: 'nnkit custom loop (valueAndGrad + adam.step)',
  tfjs: 'TensorFlow.js wasm custom loop (tf.variableGrads + tf.train.adam)',
};

async function loadSplit() {
  const { init } = await import('@nnkit/tensor-wasm');
  const { mnist } = await import('@nnkit/data/mnist');
  await init({ threads: 1 }); // both nnkit rows on one thread, as TensorFlow.js's wasm backend runs in Node
  const parts = (await mnist()).split(SPLIT);
  const plain = (p) => ({ x: p.x.toArray(), y: p.y.toArray(), m: p.x.shape[0] });
  return { train: plain(parts.train), test: plain(parts.test) };
}

function accuracyOf(predicted, y, m) {
  let correct = 0;
  for (let r = 0; r < m; r++) if (y[r * 10 + predicted[r]] === 1) correct++;
  return correct / m;
}

async function fusedRunner() {
  const { tensor, argMax, backendInfo } = await import('@nnkit/tensor-wasm');
  const { sequential, dense } = await import('@nnkit/layers');
  const { adam } = await import('@nnkit/optimizers');
  const { train, test } = await loadSplit();
  const model = sequential([dense(256, { activation: 'relu', init: 'he' }), dense(128, { activation: 'relu', init: 'he' }), dense(10, { init: 'he' })], {
    inputShape: [784],
    seed: 1,
  });
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: LEARNING_RATE }) });
  const x = tensor(train.x, [train.m, 784]);
  const y = tensor(train.y, [train.m, 10]);
  let epoch = 0;
  return {
    threads: backendInfo().threads,
    epoch: async () => {
      epoch++;
      await model.fit(x, y, { epochs: 1, batchSize: BATCH, seed: epoch });
    },
    accuracy: () => accuracyOf(argMax(model.predict(tensor(test.x, [test.m, 784]))), test.y, test.m),
  };
}

async function customRunner() {
  const { add, argMax, backendInfo, logSoftmax, matmul, mean, mul, neg, randn, relu, scope, sum, tensor, valueAndGrad, zeros } = await import('@nnkit/tensor-wasm');
  const { adam } = await import('@nnkit/optimizers');
  const { batches } = await import('@nnkit/data');
  const { train, test } = await loadSplit();
  const params = {};
  for (let i = 1; i < UNITS.length; i++) {
    params[`w${i}`] = randn([UNITS[i - 1], UNITS[i]], { seed: i, std: Math.sqrt(2 / UNITS[i - 1]) });
    params[`b${i}`] = zeros([UNITS[i]]);
  }
  const logits = (p, x) => add(matmul(relu(add(matmul(relu(add(matmul(x, p.w1), p.b1)), p.w2), p.b2)), p.w3), p.b3);
  const loss = (p, x, y) => neg(mean(sum(mul(y, logSoftmax(logits(p, x))), 1)));
  const opt = adam({ learningRate: LEARNING_RATE });
  const data = batches(tensor(train.x, [train.m, 784]), tensor(train.y, [train.m, 10]), { batchSize: BATCH, seed: 1 });
  return {
    threads: backendInfo().threads,
    epoch: async () => {
      for (const b of data) {
        scope(() => {
          const { grad } = valueAndGrad((p) => loss(p, b.x, b.y))(params);
          opt.step(params, grad);
        });
      }
    },
    accuracy: () => scope(() => accuracyOf(argMax(logits(params, tensor(test.x, [test.m, 784]))), test.y, test.m)),
  };
}

async function tfjsRunner() {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-wasm');
  // tfjs-core registers its gradient functions only when a bundle that needs them loads it; the
  // layers package is the one that does (tfjs-core's register_all_gradients), as in an app.
  await import('@tensorflow/tfjs-layers');
  await tf.setBackend('wasm');
  await tf.ready();
  const { train, test } = await loadSplit();
  const vars = {};
  for (let i = 1; i < UNITS.length; i++) {
    vars[`w${i}`] = tf.variable(tf.randomNormal([UNITS[i - 1], UNITS[i]], 0, Math.sqrt(2 / UNITS[i - 1]), 'float32', i));
    vars[`b${i}`] = tf.variable(tf.zeros([UNITS[i]]));
  }
  const logits = (x) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, vars.w1), vars.b1)), vars.w2), vars.b2)), vars.w3), vars.b3);
  const opt = tf.train.adam(LEARNING_RATE);
  const x = tf.tensor2d(train.x, [train.m, 784]);
  const y = tf.tensor2d(train.y, [train.m, 10]);
  return {
    threads: 1,
    epoch: async () => {
      const order = tf.util.createShuffledIndices(train.m);
      for (let start = 0; start < train.m; start += BATCH) {
        tf.tidy(() => {
          const ids = tf.tensor1d(Int32Array.from(order.subarray(start, start + BATCH)), 'int32');
          const xb = tf.gather(x, ids);
          const yb = tf.gather(y, ids);
          const { grads } = tf.variableGrads(() => tf.neg(tf.mean(tf.sum(tf.mul(yb, tf.logSoftmax(logits(xb))), 1))));
          opt.applyGradients(grads);
        });
      }
    },
    accuracy: async () => {
      const predicted = await tf.tidy(() => tf.argMax(logits(tf.tensor2d(test.x, [test.m, 784])), 1)).data();
      return accuracyOf(predicted, test.y, test.m);
    },
  };
}

/** A child's side: build, say ready (with the thread count), then one epoch per `epoch` line; `finish` reports accuracy. */
async function serve(kind) {
  const runner = await { fused: fusedRunner, custom: customRunner, tfjs: tfjsRunner }[kind]();
  await serveEpochs({ ready: true, threads: runner.threads }, () => runner.epoch(), async () => ({ accuracy: await runner.accuracy() }));
}

/** The parent's side of one child: send a command line, await its one-line JSON answer. */
function startKind(kind) {
  return startChild(process.execPath, [fileURLToPath(import.meta.url), '--child', kind], kind);
}

if (process.argv[2] === '--child') {
  await serve(process.argv[3]);
} else {
  const kinds = ['fused', 'custom', 'tfjs'];
  const children = Object.fromEntries(kinds.map((k) => [k, startKind(k)]));
  const ready = {};
  for (const k of kinds) ready[k] = await children[k].ready;
  console.log(`\n## Custom training loop on autodiff vs the fused model (MNIST MLP ${UNITS.join('-')}, Adam ${LEARNING_RATE}, batch ${BATCH}, ${SPLIT.train} training digits) — ${machine()}\n`);
  console.log(
    `${ROUNDS} interleaved rounds of one epoch per contender; a ratio is the median of the per-round ratios. ` +
      `nnkit runs ${ready.fused.threads} kernel thread(s) in both of its rows. Test accuracy on 1,000 digits after the ${ROUNDS} epochs.\n`,
  );
  const seconds = Object.fromEntries(kinds.map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) for (const k of kinds) seconds[k].push((await children[k].ask('epoch')).seconds);
  const accuracy = {};
  for (const k of kinds) accuracy[k] = (await children[k].ask('finish')).accuracy;
  // Speed relative to the fused model: its seconds over theirs, per round.
  const speed = (k) => pairedRatio(seconds.fused, seconds[k]);
  table(
    ['contender', 's/epoch (median)', 'samples/s', 'speed vs fused', 'test accuracy'],
    kinds.map((k) => [NAMES[k], fmt(median(seconds[k]), 2), fmt(SPLIT.train / median(seconds[k]), 0), `${fmt(speed(k), 2)}×`, `${fmt(accuracy[k] * 100, 1)}%`]),
  );
  console.log(`\ncustom loop vs fused model: ${fmt(speed('custom'), 2)}× the speed; target ≥ ${TARGET}×`);
  console.log(`nnkit custom loop vs TensorFlow.js wasm custom loop: ${fmt(pairedRatio(seconds.tfjs, seconds.custom), 1)}× faster`);
}
