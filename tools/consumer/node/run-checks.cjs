// The Node checks both entry scripts run, on the packages as each module system loaded them (esm.mjs
// through import, cjs.cjs through require): the Node build saves a model to a folder and loads it
// back, and @nnkit/data/mnist, whose optional peer `mnist` is not installed, says what to install.
// Prints one JSON line for check.mjs.
const { mkdtemp, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

/**
 * @param {{ layers: any, tensorWasm: any, loadMnist: () => Promise<any>, kind: string }} loaded
 */
async function runChecks({ layers, tensorWasm, loadMnist, kind }) {
  const { dense, loadModel, sequential } = layers;
  const { init, NnkitError, tensor } = tensorWasm;
  await init();
  const model = sequential([dense(3, { activation: 'tanh' }), dense(1)], { inputShape: [2], seed: 1 });
  const dir = await mkdtemp(join(tmpdir(), `nnkit-consumer-${kind}-`));
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
    await (await loadMnist()).mnist();
  } catch (e) {
    mnistError = { nnkitError: e instanceof NnkitError, code: e.code, message: e.message };
  }
  console.log(JSON.stringify({ sameAfterLoad, mnistError }));
}

module.exports = { runChecks };
