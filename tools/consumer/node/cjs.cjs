// Run by Node inside the npm project, as CommonJS: run-checks.cjs on the packages through require().
const { runChecks } = require('./run-checks.cjs');

runChecks({
  layers: require('@nnkit/layers'),
  tensorWasm: require('@nnkit/tensor-wasm'),
  loadMnist: async () => require('@nnkit/data/mnist'),
  kind: 'cjs',
});
