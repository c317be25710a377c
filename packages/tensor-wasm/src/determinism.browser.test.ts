import { expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import { backendInfo } from './index';
import { fingerprints } from './test-support/determinism-cases';

declare module 'vitest/browser' {
  interface BrowserCommands {
    runInNode: (modulePath: string, exportName: string) => Promise<unknown>;
  }
}

test('Chromium computes bit-identical results to Node for the same seed', async () => {
  const here = await fingerprints();
  expect(backendInfo().simd).toBe(true);
  const node = await commands.runInNode('./src/test-support/determinism-cases.ts', 'fingerprints');
  expect(Object.keys(here).length).toBe(20);
  expect(here).toEqual(node);
});
