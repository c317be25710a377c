// The browser build's stand-in for the file system: a folder target fails with UNSUPPORTED_TARGET
// and says which build saves to folders, instead of a missing node: module.
import { NnkitError } from '@nnkit/tensor-wasm';
import { expect, test } from 'vitest';
import { loadFromDirectory, saveToDirectory } from './node-files-unavailable';

test('every directory operation of the browser build refuses with UNSUPPORTED_TARGET naming the Node build', async () => {
  const calls = [
    () => saveToDirectory('./model', { modelJson: {}, weights: new Uint8Array() } as never),
    () => loadFromDirectory('./model', 1024),
  ];
  for (const call of calls) {
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NnkitError);
    expect((error as NnkitError).code).toBe('UNSUPPORTED_TARGET');
    expect((error as NnkitError).message).toMatch(/needs the Node build of @nnkit\/layers/);
  }
});
