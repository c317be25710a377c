// In Node, init() reads a kernel named by a file: URL from the disk: the `#platform` module that
// the `node` condition picks does it with node:fs.
import { expect, test } from 'vitest';
import { backendInfo, init, matmul, tensor } from './index';

test('init() compiles the scalar kernel from a file: URL, and it computes [1 2; 3 4]·[5 6; 7 8]', async () => {
  await init({ wasm: new URL('../build/kernel-scalar.wasm', import.meta.url) });
  expect(backendInfo().simd).toBe(false);
  const c = matmul(tensor([1, 2, 3, 4], [2, 2]), tensor([5, 6, 7, 8], [2, 2]));
  expect(Array.from(c.toArray())).toEqual([19, 22, 43, 50]);
});
