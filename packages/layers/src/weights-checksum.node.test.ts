import { init } from '@nnkit/tensor-wasm';
import { expect, test } from 'vitest';
import { referenceRun } from './reference-run';

test('the reference training run is deterministic: the same seed gives the same bits twice', async () => {
  await init();
  const first = await referenceRun();
  const second = await referenceRun();
  expect(second).toEqual(first);
  expect(first.head.every(Number.isFinite)).toBe(true);
  expect(first.loss).toBeLessThan(Math.log(2)); // it learned something: below chance for two classes
});
