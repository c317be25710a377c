// Run by Node inside the npm project, as ESM: run-checks.cjs on the packages through import.
import * as layers from '@nnkit/layers';
import * as tensorWasm from '@nnkit/tensor-wasm';
import runChecksModule from './run-checks.cjs';

await runChecksModule.runChecks({ layers, tensorWasm, loadMnist: () => import('@nnkit/data/mnist'), kind: 'esm' });
