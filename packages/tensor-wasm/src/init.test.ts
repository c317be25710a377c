import { expect, test } from 'vitest';
import { init, isInitialized, NnkitError, zeros } from './index';

// Vitest isolates files: the kernel is not instantiated yet here.
test('using tensors before init() says what to do', () => {
  expect(isInitialized()).toBe(false);
  expect(() => zeros([2])).toThrow(/call `await init\(\)` before creating tensors/);
});

test('a module that fails to compile is reported with the reason, and init() can be retried', async () => {
  const error = await init({ wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]) }).catch((e) => e);
  expect(error).toBeInstanceOf(NnkitError);
  expect(error.code).toBe('INIT_FAILED');
  expect(error.message).toMatch(/the kernel failed to compile: /);
  const notKernel = await init({ wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]) }).catch((e) => e);
  expect(notKernel.message).toMatch(/not an nnkit kernel of this version: it does not export heap_base, simd_enabled, \S+, \S+ and \d+ more$/);
  await expect(init({ initialPages: 0 })).rejects.toThrow(/initialPages 0 must be an integer/);
  await init();
  await init(); // idempotent
  expect(zeros([2]).size).toBe(2);
});
