// Seeded permutations (Fisher–Yates with nnkit's generator: the same seed gives the same order
// on every platform).
import type { Rng } from '@nnkit/tensor-wasm';

/** Shuffles `a` in place with `rng` and returns it. */
export function shuffleInPlace<T extends { [i: number]: number; length: number }>(a: T, rng: Rng): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** 0..n−1 in a random order. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffleInPlace(p, rng);
}
