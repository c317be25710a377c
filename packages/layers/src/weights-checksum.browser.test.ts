import { init } from '@nnkit/tensor-wasm';
import { expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import { referenceRun } from './reference-run';

declare module 'vitest/browser' {
  interface BrowserCommands {
    runInNode: (modulePath: string, exportName: string) => Promise<unknown>;
  }
}

test('a seeded training run ends with the same float32 weights in Chromium as in Node, bit for bit', async () => {
  await init();
  const here = await referenceRun();
  const node = await commands.runInNode('./src/reference-run.ts', 'initAndRun');
  expect(here).toEqual(node);
});
