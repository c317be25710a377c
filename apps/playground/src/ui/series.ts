// A growing (x, y) series for the live charts: typed arrays that double when full, so a long
// training run appends in constant time and the charts read without copying.

/** Points appended in x order. */
export class Series {
  #x = new Float64Array(256);
  #y = new Float64Array(256);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** The stored x values (a view; valid until the next push). */
  get xs(): Float64Array {
    return this.#x.subarray(0, this.#length);
  }

  /** The stored y values (a view; valid until the next push). */
  get ys(): Float64Array {
    return this.#y.subarray(0, this.#length);
  }

  /** Appends one point. */
  push(x: number, y: number): void {
    if (this.#length === this.#x.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.#x = grow(this.#x);
      this.#y = grow(this.#y);
    }
    this.#x[this.#length] = x;
    this.#y[this.#length] = y;
    this.#length++;
  }

  /** Appends the points of two parallel arrays. */
  pushAll(xs: ArrayLike<number>, ys: ArrayLike<number>): void {
    for (let i = 0; i < xs.length; i++) this.push(xs[i], ys[i]);
  }

  /** The last y, or NaN when empty. */
  last(): number {
    return this.#length > 0 ? this.#y[this.#length - 1] : Number.NaN;
  }

  clear(): void {
    this.#length = 0;
  }
}
