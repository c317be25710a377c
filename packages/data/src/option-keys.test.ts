// data's factories refuse an option they do not know, naming the valid ones.
import { init, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { batches, circles, gaussianBlobs, moons, sameDistribution, split, spiral, streamBatches } from './index';

beforeAll(() => init());

test('a misspelt option is named with the valid ones', async () => {
  expect(() => moons({ n: 10, noize: 0.1 } as never)).toThrow('moons(): unknown option "noize"; expected one of n, seed, shuffle, oneHot, dtype, noise');
  expect(() => circles({ Factor: 0.5 } as never)).toThrow('circles(): unknown option "Factor" (did you mean "factor"?)');
  expect(() => spiral({ class: 3 } as never)).toThrow('spiral(): unknown option "class" (did you mean "classes"?)');
  expect(() => gaussianBlobs({ center: 3 } as never)).toThrow('gaussianBlobs(): unknown option "center" (did you mean "centers"?)');
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
  const y = [0, 1, 0, 1];
  expect(() => split(x, y, { train: 0.5, dev: 0.5, stratified: true } as never)).toThrow(
    'split(): unknown option "stratified"; expected one of train, dev, test, stratify, seed',
  );
  expect(() => batches(x, y, { batchSize: 2, suffle: true } as never)).toThrow(
    'batches(): unknown option "suffle"; expected one of batchSize, shuffle, seed, rng, copy, dropRemainder, augment',
  );
  const stream = streamBatches([{ x, y }], { batchSize: 2, buffer: 4 } as never);
  await expect(stream.next()).rejects.toThrow('streamBatches(): unknown option "buffer"; expected one of batchSize, shuffleBuffer, seed, copy, augment');
  expect(() => sameDistribution({ x }, { x }, { alfa: 0.05 } as never)).toThrow('sameDistribution(): unknown option "alfa"; expected one of alpha, warn, names');
  x.dispose();
});
