// A child process for the kill -9 test: saves two models of different shapes into one folder in
// turn, forever, printing the number of each completed save. The parent kills it at random moments.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
const { init } = await import('@nnkit/tensor-wasm');
const { sequential } = await import('../src/sequential.ts');
const { dense } = await import('../src/dense.ts');
const { batchNorm } = await import('../src/batch-norm.ts');

const [dir] = process.argv.slice(2);
await init();
// The same two models as directory-save.node.test.ts builds (same layers and seeds).
const models = [
  sequential([dense(5, { activation: 'tanh' }), dense(2)], { inputShape: [3], seed: 1 }),
  sequential([dense(7, { activation: 'relu' }), batchNorm(), dense(2)], { inputShape: [3], seed: 2 }),
];
for (let i = 0; ; i++) {
  await models[i % 2].save(dir);
  process.stdout.write(`${i}\n`);
}
