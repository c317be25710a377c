// The top of wasm32's address space: blocks above 2^31 and up to the last bytes below 4 GiB. The
// memory grows to 4 GiB, but only block headers and a few small tensors are ever written, so the
// pages behind the two 2 GiB blocks are never touched. Node only: browsers may refuse 4 GiB.
import { beforeAll, expect, test } from 'vitest';
import { allocate, MAX_BLOCK_BYTES, release, reservedBytes, trimPool } from './allocator';
import { backendInfo, init, memory, NnkitError, type Tensor, tensor, zeros } from './index';
import { offsetOf } from './tensor';

beforeAll(() => init());

const GiB = 2 ** 30;
const MiB = 2 ** 20;

function end(t: Tensor): number {
  return offsetOf(t) + t.size * 4;
}

function errorOf(fn: () => unknown): NnkitError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NnkitError);
    return e as NnkitError;
  }
  throw new Error('expected an NnkitError');
}

test('blocks above 2 GiB and up to the end of 4 GiB are served, freed and merged; past the end, OUT_OF_MEMORY', () => {
  const reserved = reservedBytes();
  const low = allocate(MAX_BLOCK_BYTES); // the largest block, from the bottom of the heap to above 2 GiB
  const above = tensor([1.5, -2, 3, 4]);
  expect(offsetOf(above)).toBeGreaterThanOrEqual(2 * GiB);
  expect(Array.from(above.toArray())).toEqual([1.5, -2, 3, 4]);

  // A block that ends in the last MiB below 4 GiB; the memory is now as large as wasm32 allows.
  const high = allocate(4 * GiB - MiB - end(above));
  expect(backendInfo().memoryBytes).toBe(4 * GiB);
  const last = tensor(Array.from({ length: 128 * 1024 }, (_, i) => i)); // 512 KiB within that MiB
  expect(end(last)).toBeLessThanOrEqual(4 * GiB);
  expect(last.toArray()[128 * 1024 - 1]).toBe(128 * 1024 - 1);

  const before = memory();
  const full = errorOf(() => zeros([MiB])); // 4 MiB: more than what is left
  expect(full.code).toBe('OUT_OF_MEMORY');
  expect(full.message).toMatch(/shape \[1048576\] float32: cannot allocate 4194304 bytes: \d+ bytes are in use and WebAssembly memory ends at 4294967296 bytes \(4 GiB\)/);
  const huge = errorOf(() => zeros([3 * 2 ** 28])); // 3 GiB in one block
  expect(huge.code).toBe('OUT_OF_MEMORY');
  expect(huge.message).toMatch(/cannot allocate 3221225472 bytes: one block holds at most 2147483584 bytes \(2 GiB\)/);
  expect(memory()).toEqual(before);
  expect(Array.from(above.toArray())).toEqual([1.5, -2, 3, 4]);

  // Freed above 2 GiB, the blocks merge with their neighbours: the largest block fits where it was.
  above.dispose();
  release(low);
  expect(allocate(MAX_BLOCK_BYTES)).toBe(low);
  release(low);
  release(high);
  last.dispose();
  trimPool(); // disposed tensors' blocks wait in the pool until trimmed
  expect(reservedBytes()).toBe(reserved);
});
