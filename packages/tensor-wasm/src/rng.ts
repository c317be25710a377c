// The one random generator of nnkit: xoshiro128** seeded through splitmix32. Integer arithmetic
// and exactly rounded IEEE operations only (sqrt, and a portable log for normals), so a seed gives
// the same stream in Node, in browsers and on every platform.
import { NnkitError } from './errors';
import { portableLog } from './portable-log';

/** A deterministic random generator; `fork()` derives an independent stream. */
export interface Rng {
  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number;
  /** A uniform 32-bit unsigned integer: one step of the generator (the cheapest draw, for masks). */
  uint32(): number;
  /**
   * Fills `out` with `value` where a draw keeps (probability p, one uint32 per element: kept when
   * uint32() < p·2^32) and 0 elsewhere — the same stream as that many uint32() calls, in one tight
   * loop. A dropout mask is `fillBernoulli(mask, 1 − rate, 1 / (1 − rate))`.
   */
  fillBernoulli(out: Float32Array | Float64Array, p: number, value: number): void;
  /** Standard normal (Marsaglia's polar method). */
  normal(): number;
  /** Uniform integer in [0, n), unbiased; n a positive integer ≤ 2^32. */
  int(n: number): number;
  /** A new generator whose stream is independent of this one's continuation. */
  fork(): Rng;
  /** Four 32-bit words that restore this generator exactly with `createRng(state)`. */
  state(): number[];
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

class Xoshiro128 implements Rng {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  #spare: number | null = null;

  constructor(words: readonly number[]) {
    [this.#s0, this.#s1, this.#s2, this.#s3] = words.map((w) => w >>> 0);
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 1; // the all-zero state is a fixed point
  }

  next(): number {
    const result = Math.imul(rotl(Math.imul(this.#s1, 5), 7), 9) >>> 0;
    const t = this.#s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  uint32(): number {
    return this.next();
  }

  fillBernoulli(out: Float32Array | Float64Array, p: number, value: number): void {
    if (!(p >= 0 && p <= 1)) throw new NnkitError('INVALID_ARGUMENT', `rng.fillBernoulli(): p ${p} must be in [0, 1]`);
    const threshold = p * 2 ** 32;
    // The generator's step, inlined on local copies of the state: this is the hot loop of dropout.
    let s0 = this.#s0;
    let s1 = this.#s1;
    let s2 = this.#s2;
    let s3 = this.#s3;
    for (let i = 0; i < out.length; i++) {
      const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      out[i] = r < threshold ? value : 0;
    }
    this.#s0 = s0;
    this.#s1 = s1;
    this.#s2 = s2;
    this.#s3 = s3;
  }

  uniform(): number {
    const hi = this.next() >>> 5; // 27 bits
    const lo = this.next() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  normal(): number {
    if (this.#spare !== null) {
      const v = this.#spare;
      this.#spare = null;
      return v;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * portableLog(s)) / s);
        this.#spare = v * f;
        return u * f;
      }
    }
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) {
      throw new NnkitError('INVALID_ARGUMENT', `rng.int(${n}): n must be an integer in [1, 2^32]`);
    }
    // Rejection keeps the result unbiased: draw again from the incomplete top interval.
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.next();
      if (x < limit) return x % n;
    }
  }

  fork(): Rng {
    const mix = splitmix32(this.next() ^ 0x5bd1e995);
    const words = [this.next() ^ mix(), this.next() ^ mix(), this.next() ^ mix(), this.next() ^ mix()];
    return new Xoshiro128(words);
  }

  state(): number[] {
    return [this.#s0 >>> 0, this.#s1 >>> 0, this.#s2 >>> 0, this.#s3 >>> 0];
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A deterministic generator from a seed (a non-negative safe integer) or a saved `state()`.
 *
 * @example
 * const rng = createRng(42); rng.uniform(); rng.normal(); const dropoutRng = rng.fork();
 */
export function createRng(seed: number | readonly number[]): Rng {
  if (Array.isArray(seed)) {
    if (seed.length !== 4 || !seed.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)) {
      throw new NnkitError('INVALID_ARGUMENT', `createRng(): a state must be four 32-bit unsigned integers, got [${seed.join(', ')}]`);
    }
    return new Xoshiro128(seed);
  }
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new NnkitError('INVALID_ARGUMENT', `createRng(): seed ${String(seed)} must be a non-negative safe integer`);
  }
  const high = Math.floor(seed / 2 ** 32);
  const mix = splitmix32((seed >>> 0) ^ Math.imul(high, 0x27d4eb2f));
  return new Xoshiro128([mix(), mix(), mix(), mix() ^ high]);
}
