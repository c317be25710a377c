// A small seeded generator of the package's own (tuning imports nothing of nnkit): sfc32 seeded
// through a murmur3-style mix of (seed, stream). Integer arithmetic only, so a seed gives the same
// stream in Node and in every browser. Each trial draws from its own stream (seed, trial id), which
// is what makes a resumed study sample exactly the parameters an uninterrupted one would have.
// It is not @nnkit/tensor-wasm's createRng (another algorithm), hence its own name; changing its
// algorithm would change the trials of every seeded study.
import { NnkitError } from './errors';

/** The search's deterministic random generator (one stream of a seed). */
export interface SearchRng {
  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number;
  /** Uniform integer in [0, n), unbiased; n a positive integer ≤ 2^32. */
  int(n: number): number;
}

function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Creates a generator for one stream of a seed: `createSearchRng(seed, id)` for trial `id` of a study.
 *
 * @param seed - any integer (taken modulo 2^32)
 * @param stream - which independent stream of this seed (default 0)
 * @returns a generator whose numbers depend only on `(seed, stream)`
 * @example
 * const rng = createSearchRng(42, 3); rng.uniform(); // the same number on every platform
 */
export function createSearchRng(seed: number, stream = 0): SearchRng {
  if (!Number.isInteger(seed)) {
    throw new NnkitError('INVALID_ARGUMENT', `createSearchRng(): seed ${seed} is not an integer; expected an integer`);
  }
  const s = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  let a = mix32(s ^ 0x9e3779b9);
  let b = mix32(a ^ hi ^ 0x7f4a7c15);
  let c = mix32(b ^ mix32((stream >>> 0) + 0x6a09e667));
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // sfc32's authors advise discarding the first outputs so that similar seeds decorrelate.
  for (let i = 0; i < 15; i++) next();
  return {
    uniform() {
      const hi27 = next() >>> 5;
      const lo26 = next() >>> 6;
      return (hi27 * 67108864 + lo26) / 9007199254740992;
    },
    int(n: number) {
      if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
        throw new NnkitError('INVALID_ARGUMENT', `rng.int(): n = ${n}; expected an integer in [1, 2^32]`);
      }
      // Rejection sampling removes the modulo bias.
      const limit = 4294967296 - (4294967296 % n);
      for (;;) {
        const x = next();
        if (x < limit) return x % n;
      }
    },
  };
}
