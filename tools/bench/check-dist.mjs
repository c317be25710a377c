// Checks the built packages as a user gets them: every package loads from dist through its exports
// map, as ESM and as CommonJS, both expose the same names, and a real computation runs on each.
// It lives in tools/bench because that workspace package depends on every @nnkit package, so both
// import() and require() resolve them from here.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
let failures = 0;
let passes = 0;

function check(name, ok, detail) {
  if (ok) passes++;
  else failures++;
  console.log(`${ok ? '✓' : '✗'} ${name}${detail ? ` — ${detail}` : ''}`);
}

const packages = readdirSync(join(root, 'packages')).map((dir) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')).name);
for (const name of packages) {
  const esm = await import(name);
  const cjs = require(name);
  const esmNames = Object.keys(esm).filter((k) => k !== 'default').sort();
  const cjsNames = Object.keys(cjs).filter((k) => k !== 'default' && k !== '__esModule').sort();
  check(`${name}: ESM and CJS builds load and export the same ${esmNames.length} names`, esmNames.length > 0 && esmNames.join() === cjsNames.join(),
    esmNames.join() === cjsNames.join() ? '' : `ESM [${esmNames}] vs CJS [${cjsNames}]`);
}

// A real computation through the built kernel, in both module systems: [1 2; 3 4]·[5 6; 7 8]. The CJS
// build runs in a process of its own: in one process the ESM and the CJS build are two copies, and
// the second one refuses to start a kernel of its own (checked below).
const product = (t) => Array.from(t.matmul(t.tensor([1, 2, 3, 4], [2, 2]), t.tensor([5, 6, 7, 8], [2, 2])).toArray()).join();
const esmTensor = await import('@nnkit/tensor-wasm');
await esmTensor.init();
const esmProduct = product(esmTensor);
check('@nnkit/tensor-wasm (ESM) multiplies with the inlined SIMD kernel', esmProduct === '19,22,43,50' && esmTensor.backendInfo().simd, esmProduct);
const cjsRun = spawnSync(process.execPath, ['--input-type=commonjs', '-e',
  `const t = require('@nnkit/tensor-wasm'); t.init().then(() => console.log((${product})(t), t.backendInfo().simd))`,
], { cwd: new URL('.', import.meta.url).pathname, encoding: 'utf8' });
check('@nnkit/tensor-wasm (CJS) multiplies with the inlined SIMD kernel', cjsRun.stdout.trim() === '19,22,43,50 true', cjsRun.stdout.trim() || cjsRun.stderr);

// Two copies in one process: the CJS build, used while the ESM build runs the kernel, names both.
const cjsTensor = require('@nnkit/tensor-wasm');
const duplicate = (() => { try { cjsTensor.zeros([1]); } catch (e) { return e; } })();
check('@nnkit/tensor-wasm: a second copy (CJS beside ESM) refuses with DUPLICATE_PACKAGE naming both builds',
  duplicate instanceof esmTensor.NnkitError && duplicate.code === 'DUPLICATE_PACKAGE' && /\.js\) runs the kernel, and .+\.cjs\) was used here/.test(duplicate.message),
  duplicate?.message);

// One real use of every other package through its built ESM entry, each against a hand computation.
const t = await import('@nnkit/tensor-wasm');
const { sequential, dense } = await import('@nnkit/layers');
const { sgd } = await import('@nnkit/optimizers');
const { l2 } = await import('@nnkit/regularizers');
const { accuracy } = await import('@nnkit/metrics');
const { oneHot } = await import('@nnkit/data');
const { randomSearch, uniform } = await import('@nnkit/tuning');
const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

// dense: [1, 1]·[[1], [2]] + 0.5 = 3.5
const model = sequential([dense(1)], { inputShape: [2], seed: 1 });
model.setWeights([t.tensor([1, 2], [2, 1]), t.tensor([0.5], [1])]);
const y = Array.from(model.predict(t.tensor([1, 1], [1, 2])).toArray());
check('@nnkit/layers: a dense layer predicts x·W + b', same(y, [3.5]), String(y));
// sgd: w − 0.5·g = [1, 2] − 0.5·[2, 4] = [0, 0]
const w = t.tensor([1, 2], [2]);
sgd({ learningRate: 0.5 }).step([{ value: w, grad: t.tensor([2, 4], [2]) }]);
check('@nnkit/optimizers: one SGD step', same(Array.from(w.toArray()), [0, 0]), String(Array.from(w.toArray())));
// L2: λ/(2m)·‖W‖² = 0.7/20·30 = 1.05
const penalty = l2(0.7).penalty(t.tensor([1, 2, 3, 4], [2, 2]), 10);
check('@nnkit/regularizers: the course-scaled L2 cost', Math.abs(penalty - 1.05) < 1e-12, String(penalty));
// 3 of 4 labels right
check('@nnkit/metrics: accuracy', accuracy([0, 1, 1, 0], [0, 1, 0, 0]) === 0.75);
check('@nnkit/data: oneHot', same(Array.from(oneHot([2, 0], 3).toArray()), [0, 0, 1, 1, 0, 0]));
// Maximizing a itself: the best trial's value is the largest a sampled.
const study = await randomSearch({ a: uniform(0, 1) }, (p) => p.a, { trials: 5, seed: 1, direction: 'maximize' });
const values = study.trials.map((trial) => trial.value);
check('@nnkit/tuning: random search finds its best trial', study.best.value === Math.max(...values) && values.length === 5, String(values));
// One error class: tuning's NnkitError and tensor-wasm's recognise each other's errors.
const { NnkitError: TuningError, logUniform } = await import('@nnkit/tuning');
const tuningError = (() => { try { logUniform(0, 1); } catch (e) { return e; } })();
check('@nnkit/tuning: its errors are instances of tensor-wasm\'s NnkitError, and the reverse',
  tuningError instanceof t.NnkitError && new t.NnkitError('INTERNAL', 'x') instanceof TuningError && !(new Error('x') instanceof TuningError));

console.log(`\n${passes} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
