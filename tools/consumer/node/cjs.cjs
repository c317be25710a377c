// Run by Node inside the npm project, as CommonJS: the same checks as esm.mjs through require().
const { mkdtemp, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { dense, loadModel, sequential } = require('@nnkit/layers');
const { init, NnkitError, tensor } = require('@nnkit/tensor-wasm');

async function main() {
  await init();
  const model = sequential([dense(3, { activation: 'tanh' }), dense(1)], { inputShape: [2], seed: 1 });
  const dir = await mkdtemp(join(tmpdir(), 'nnkit-consumer-cjs-'));
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
    await require('@nnkit/data/mnist').mnist();
  } catch (e) {
    mnistError = { nnkitError: e instanceof NnkitError, code: e.code, message: e.message };
  }
  console.log(JSON.stringify({ sameAfterLoad, mnistError }));
}

main();
