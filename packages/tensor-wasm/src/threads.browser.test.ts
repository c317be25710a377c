// A page that is not cross-origin isolated (as this test page) has no shared memory: init() runs the
// single-threaded build on one thread and backendInfo() says why and what to do.
import { expect, test } from 'vitest';
import { backendInfo, init, matmul, randn } from './index';

test('without cross-origin isolation, threads "auto" is one thread and backendInfo() names the missing headers', async () => {
  expect(globalThis.crossOriginIsolated).toBe(false);
  await init();
  const info = backendInfo();
  expect(info.threads).toBe(1);
  expect(info.threadsReason).toMatch(/not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp/);
  await init({ threads: 4 }); // asking for more cannot give shared memory: still one thread, still said why
  expect(backendInfo().threads).toBe(1);
  expect(backendInfo().threadsReason).toBe(info.threadsReason);
  expect(matmul(randn([70, 50], { seed: 1 }), randn([50, 90], { seed: 2 })).shape).toEqual([70, 90]);
});
