// The app every bundler builds: moons, a split, standardization and a small dense model trained with
// Adam — what a first nnkit page does. It reports its dev accuracy on window.nnkitResult.
import { moons, split, standardizer } from '@nnkit/data';
import { dense, sequential } from '@nnkit/layers';
import { adam } from '@nnkit/optimizers';
import { init } from '@nnkit/tensor-wasm';

async function main() {
  await init();
  const { x, y } = moons({ n: 600, noise: 0.2, seed: 1 });
  const { train, dev } = split(x, y, { train: 0.8, dev: 0.2, stratify: true, seed: 1 });
  const norm = standardizer().fit(train.x);
  const model = sequential(
    [dense(16, { activation: 'relu', init: 'he' }), dense(16, { activation: 'relu', init: 'he' }), dense(1)],
    { inputShape: [2], seed: 1 },
  );
  model.compile({ loss: 'sigmoidCrossEntropy', optimizer: adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
  await model.fit(norm.transform(train.x), train.y, { epochs: 60, batchSize: 32 });
  return model.evaluate(norm.transform(dev.x), dev.y).accuracy;
}

main().then(
  (accuracy) => {
    window.nnkitResult = { accuracy };
  },
  (e) => {
    window.nnkitResult = { error: String(e?.stack ?? e) };
  },
);
