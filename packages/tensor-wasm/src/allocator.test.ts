import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { backendInfo, init, memory, NnkitError, type Tensor, tensor, trimPool, zeros } from './index';
import { offsetOf } from './tensor';

beforeAll(() => init());

const MiB = 2 ** 20;

/** Byte range [start, end) of a live tensor's elements. */
function range(t: Tensor): [number, number] {
  const start = offsetOf(t);
  return [start, start + t.size * (t.dtype === 'float32' ? 4 : 8)];
}

function within(inner: [number, number], outer: [number, number]): boolean {
  return inner[0] >= outer[0] && inner[1] <= outer[1];
}

describe('freed memory serves requests of any size', () => {
  // These are about the allocator under the pool: start each with no block waiting in the pool.
  beforeEach(() => trimPool());

  test('two adjacent freed blocks merge: a tensor of their combined size reuses their space', () => {
    const n = 64 * 1024; // 256 KiB each
    const a = zeros([n]);
    const b = zeros([n]);
    const guard = zeros([1]); // keeps a and b away from the top of the heap
    const space: [number, number] = [range(a)[0], range(b)[1]];
    expect(range(b)[0] - range(a)[1]).toBeGreaterThanOrEqual(0);
    expect(range(b)[0] - range(a)[1]).toBeLessThan(64); // adjacent, but for the allocator's header
    a.dispose();
    b.dispose();
    trimPool(); // disposed tensors' blocks wait in the pool for the same size until trimmed
    const both = zeros([2 * n]);
    expect(within(range(both), space)).toBe(true);
    both.dispose();
    guard.dispose();
  });

  test('a large freed block is split to serve smaller requests', () => {
    const big = zeros([256 * 1024]); // 1 MiB
    const guard = zeros([1]);
    const space = range(big);
    big.dispose();
    trimPool();
    const small = [zeros([64 * 1024]), zeros([1000], 'float64'), zeros([3]), zeros([100 * 1024])];
    for (const t of small) expect(within(range(t), space)).toBe(true);
    for (const t of [...small, guard]) t.dispose();
  });

  test('every block starts on a 16-byte boundary (SIMD loads), also blocks split off freed ones', () => {
    const offsets: number[] = [];
    const live: Tensor[] = [];
    for (let i = 1; i <= 40; i++) {
      const t = zeros([i], i % 2 ? 'float32' : 'float64');
      offsets.push(offsetOf(t));
      if (i % 3 === 0) t.dispose();
      else live.push(t);
    }
    for (let i = 1; i <= 40; i++) {
      const t = zeros([i * 3 + 1]);
      offsets.push(offsetOf(t));
      live.push(t);
    }
    expect(offsets.filter((o) => o % 16 !== 0)).toEqual([]);
    for (const t of live) t.dispose();
  });

  test('2,000 tensors of 2,000 sizes (4 KB to 8 MB), each disposed before the next, grow the memory by at most 3 × the largest', () => {
    const before = memory();
    const wasmBefore = backendInfo().memoryBytes;
    // Sizes spread geometrically over 4 KB..8 MB, visited in a scrambled order (a fixed stride coprime to 2,000).
    const count = 2000;
    const elements = Array.from({ length: count }, (_, i) => Math.round((4096 * 2048 ** (i / (count - 1))) / 4));
    expect(new Set(elements).size).toBe(count);
    expect(elements[count - 1] * 4).toBe(8 * MiB);
    for (let i = 0; i < count; i++) zeros([elements[(i * 777) % count]]).dispose();
    expect(memory()).toEqual(before);
    // 3 × the largest tensor: the limit issue 14 sets (size classes grew it by 48 MiB).
    expect(backendInfo().memoryBytes - wasmBefore).toBeLessThanOrEqual(3 * 8 * MiB);
  });
});

describe('growing the memory', () => {
  test('growth past the current buffer keeps earlier tensors, and blocks from before and after it merge', () => {
    const before = memory();
    const values = Array.from({ length: 1000 }, (_, i) => i * 0.5 - 7);
    const early = tensor(values);
    const wasm = backendInfo().memoryBytes;
    const late = zeros([wasm / 4]); // more than the whole current memory: it must grow
    expect(backendInfo().memoryBytes).toBeGreaterThan(wasm);
    late.assign(new Float32Array(late.size).fill(3));
    expect(Array.from(early.toArray())).toEqual(values);
    expect(late.toArray()[late.size - 1]).toBe(3);
    const grown = backendInfo().memoryBytes;
    early.dispose();
    late.dispose();
    expect(memory()).toEqual(before);
    // Both blocks, one recorded before the growth and one after, return to the pool and merge.
    const whole = zeros([early.size + late.size]);
    expect(backendInfo().memoryBytes).toBe(grown);
    whole.dispose();
  });
});

describe('running out', () => {
  test('a request beyond 4 GiB is an OUT_OF_MEMORY NnkitError naming it and the limit, and changes nothing', () => {
    const keep = tensor([1, 2, 3]);
    const before = memory();
    const wasm = backendInfo().memoryBytes;
    let error: unknown;
    try {
      zeros([2 ** 30], 'float64'); // 8 GiB
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NnkitError);
    expect((error as NnkitError).code).toBe('OUT_OF_MEMORY');
    expect((error as NnkitError).message).toMatch(/8589934592 bytes/);
    expect((error as NnkitError).message).toMatch(/2147483584 bytes|4294967296 bytes/);
    expect(memory()).toEqual(before);
    expect(backendInfo().memoryBytes).toBe(wasm);
    // The allocator still works, and the request did not take the space of later tensors.
    const a = tensor([4, 5, 6, 7]);
    const b = tensor([8, 9]);
    expect(Array.from(a.toArray())).toEqual([4, 5, 6, 7]);
    expect(Array.from(b.toArray())).toEqual([8, 9]);
    expect(Array.from(keep.toArray())).toEqual([1, 2, 3]);
    expect(range(a)[1] <= range(b)[0] || range(b)[1] <= range(a)[0]).toBe(true);
    for (const t of [a, b, keep]) t.dispose();
  });
});
