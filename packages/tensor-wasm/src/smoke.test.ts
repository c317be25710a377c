import { expect, test } from 'vitest';
import { init, matmul, tensor, backendInfo } from './index';

test('smoke', async () => {
  await init();
  const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
  const b = tensor([1, 0, 0, 1, 1, 1], [3, 2]);
  expect(Array.from(matmul(a, b).toArray())).toEqual([4, 5, 10, 11]);
  expect(backendInfo().simd).toBe(true);
});
