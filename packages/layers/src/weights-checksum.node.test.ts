// Writes test/fixtures/weights-checksum.json from a Node run; weights-checksum.test.ts checks the
// same run against it in Node and in Chromium.
import { renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { init } from '@nnkit/tensor-wasm';
import { expect, test } from 'vitest';
import { referenceRun } from './reference-run';

test('the reference run is deterministic in Node; its checksum is written for the browser run', async () => {
  await init();
  const first = await referenceRun();
  const second = await referenceRun();
  expect(second).toEqual(first);
  expect(first.head.every(Number.isFinite)).toBe(true);
  const path = fileURLToPath(new URL('../test/fixtures/weights-checksum.json', import.meta.url));
  // Written atomically: the reading test may run at the same time.
  writeFileSync(`${path}.tmp`, `${JSON.stringify(first, null, 1)}\n`);
  renameSync(`${path}.tmp`, path);
});
