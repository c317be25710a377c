// Adam on 1M float32 parameters: parameters updated per second by nnkit's fused kernel beside
// TensorFlow.js's `tf.train.adam().applyGradients` on its wasm backend, in one run, and against the
// memory-bandwidth bound measured now by a plain copy of the same bytes.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { adam } from '@nnkit/optimizers';
import { init, randn } from '@nnkit/tensor-wasm';
import { fmt, machine, medianMs, table } from './lib.mjs';

const N = 1 << 20;
// Adam reads w, g, m, v and writes w, m, v: 7 float32 streams, 28 bytes per parameter.
const ADAM_BYTES_PER_PARAM = 7 * 4;
const TIMING = { repeats: 9, warmup: 3 };
// Rounds interleave the four measurements, so that load from other processes falls on all of them.
const ROUNDS = 5;

await init({ threads: 1 }); // one thread: the table compares per-core rates
await tf.setBackend('wasm');
await tf.ready();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The bandwidth bound: a plain copy that moves as many bytes as an Adam step (14 bytes per
 * parameter read, 14 written), by the engine's memmove. Its time is the time a step could take if
 * it were nothing but memory traffic.
 */
const copyBuffer = new Float32Array((2 * ADAM_BYTES_PER_PARAM * N) / 2 / 4).fill(1.5);
const half = copyBuffer.length / 2;
const copyRate = () => N / medianMs(() => copyBuffer.copyWithin(half, 0, half), TIMING) / 1e3;

function nnkitSetup(checkFinite) {
  const params = [{ name: 'w', value: randn([N], { seed: 1 }), grad: randn([N], { seed: 2, std: 1e-2 }) }];
  const opt = adam({ checkFinite });
  return { rate: () => N / medianMs(() => opt.step(params), TIMING) / 1e3 };
}

function tfjsSetup() {
  const v = tf.variable(tf.randomNormal([N], 0, 1, 'float32', 1));
  const g = tf.mul(tf.randomNormal([N], 0, 1, 'float32', 2), 1e-2);
  const opt = tf.train.adam();
  // The wasm backend runs each op when it is called, so a step is done when applyGradients returns.
  return { rate: () => N / medianMs(() => opt.applyGradients({ [v.name]: g }), TIMING) / 1e3 };
}

const runs = { copy: { rate: copyRate }, checked: nnkitSetup(true), unchecked: nnkitSetup(false), tfjs: tfjsSetup() };
const results = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) for (const [k, run] of Object.entries(runs)) results[k].push(run.rate());
const [bound, checked, unchecked, tfjs] = ['copy', 'checked', 'unchecked', 'tfjs'].map((k) => median(results[k]));

console.log(`\n### Adam step, ${N.toLocaleString('en-US')} float32 parameters (${machine()})\n`);
console.log(
  `M params/s, medians of ${ROUNDS} interleaved rounds of ${TIMING.repeats}-step medians. The copy bound is a plain ` +
    `copy moving the same ${ADAM_BYTES_PER_PARAM} bytes per parameter (${fmt((bound * ADAM_BYTES_PER_PARAM) / 1e3)} GB/s). ` +
    'An in-place update can beat it: a copy also reads every destination line before writing it.\n',
);
const row = (label, rate) => [label, fmt(rate), fmt(tfjs), `${fmt(rate / tfjs, 2)}×`, fmt(bound), `${fmt(rate / bound, 2)}`];
table(
  ['nnkit variant', 'nnkit M params/s', 'tfjs-wasm M params/s', 'nnkit / tfjs', 'copy bound M params/s', 'nnkit / bound'],
  [row('adam() (NaN/Inf check on, the default)', checked), row('adam({ checkFinite: false })', unchecked)],
);
