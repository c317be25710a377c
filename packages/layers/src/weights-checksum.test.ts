import { init } from '@nnkit/tensor-wasm';
import { expect, test } from 'vitest';
import fixture from '../test/fixtures/weights-checksum.json';
import { referenceRun } from './reference-run';

test('a seeded training run ends with the weights the Node run wrote, bit for bit (float32)', async () => {
  await init();
  const run = await referenceRun();
  expect(run.head).toEqual(fixture.head);
  expect(run.loss).toBe(fixture.loss);
  expect(run.fnv1a).toBe(fixture.fnv1a);
});
