// The Tensor: a contiguous, row-major block of the kernel's memory with a shape and a dtype.
// Views (reshape, row slices) share their root's memory and never free it.
import { allocate, release } from './allocator';
import { activeTape, recordOp } from './autodiff/tape';
import { kernelState } from './backend';
import { duplicateCopies, otherOwner } from './copies';
import { describeValue, tensorHint } from './describe-value';
import { bytesPerElement, checkDType, type DType } from './dtype';
import { NnkitError } from './errors';
import { checkShape, formatShape } from './shape';
import { track, untrack } from './tracking';
import { checkNumbers } from './values';

const disposeSymbol: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('Symbol.dispose');

let nextId = 1;
let byteOffsetOf: (t: Tensor) => number;
let rootOfTensor: (t: Tensor) => Tensor;

/**
 * An n-dimensional array in WebAssembly memory. Create tensors with `tensor`, `zeros`, `randn`…;
 * free them with `dispose()`, `using`, or `scope(fn)`.
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /** A number unique to this tensor in this process, for debugging. */
  readonly id: number;
  readonly #root: Tensor | null;
  readonly #offset: number;
  #disposed = false;

  static {
    byteOffsetOf = (t: Tensor) => {
      t.#check();
      return t.#offset;
    };
    rootOfTensor = (t: Tensor) => t.#root ?? t;
  }

  /** @internal Tensors are made by the creation functions, not by `new`. */
  constructor(shape: readonly number[], size: number, dtype: DType, offset: number, root: Tensor | null) {
    this.shape = shape;
    this.size = size;
    this.dtype = dtype;
    this.#offset = offset;
    this.#root = root;
    this.id = nextId++;
    track(this, root === null ? size * bytesPerElement(dtype) : 0);
  }

  /** True once this tensor (or, for a view, the tensor it views) has been disposed. */
  get isDisposed(): boolean {
    return this.#disposed || (this.#root !== null && this.#root.#disposed);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  #check(): void {
    if (this.isDisposed) {
      throw new NnkitError('DISPOSED', `tensor #${this.id} of shape ${formatShape(this.shape)} was used after dispose()`);
    }
  }

  /** The elements in row-major order, as a new typed array (a copy). */
  toArray(): Float32Array | Float64Array {
    this.#check();
    const s = kernelState();
    if (this.dtype === 'float32') {
      const start = this.#offset / 4;
      return s.f32.slice(start, start + this.size);
    }
    const start = this.#offset / 8;
    return s.f64.slice(start, start + this.size);
  }

  /** The elements as nested plain arrays following the shape (a scalar for rank 0). */
  toNested(): unknown {
    const flat = Array.from(this.toArray());
    const build = (dim: number, start: number): unknown => {
      if (dim === this.shape.length) return flat[start];
      const stride = this.shape.slice(dim + 1).reduce((p, d) => p * d, 1);
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, start + i * stride));
    };
    return build(0, 0);
  }

  /** The single element of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new NnkitError('INVALID_SHAPE', `item(): tensor of shape ${formatShape(this.shape)} has ${this.size} elements; expected 1`);
    }
    return this.toArray()[0];
  }

  /** Overwrites the elements (row-major) in place; the length must equal `size`. */
  assign(values: ArrayLike<number> | Tensor): this {
    this.#check();
    if (activeTape !== null) activeTape.checkWritable(this, 'assign()');
    if (values instanceof Tensor) {
      if (values.size !== this.size) {
        throw new NnkitError('SHAPE_MISMATCH', `assign(): source of shape ${formatShape(values.shape)} does not fit ${formatShape(this.shape)}`);
      }
      values = values.toArray();
    }
    if (values.length !== this.size) {
      throw new NnkitError(
        'SHAPE_MISMATCH',
        `assign(): got ${values.length} values for a tensor of shape ${formatShape(this.shape)} (${this.size} elements)`,
      );
    }
    checkNumbers(values, 'assign()');
    const s = kernelState();
    if (this.dtype === 'float32') s.f32.set(values, this.#offset / 4);
    else s.f64.set(values, this.#offset / 8);
    return this;
  }

  /** A view with another shape of the same size (no copy). */
  reshape(shape: readonly number[]): Tensor {
    this.#check();
    const checked = checkShape(shape, 'reshape()');
    if (checked.size !== this.size) {
      throw new NnkitError(
        'SHAPE_MISMATCH',
        `reshape(): cannot view ${formatShape(this.shape)} (${this.size} elements) as ${formatShape(checked.shape)} (${checked.size})`,
      );
    }
    const view = new Tensor(checked.shape, checked.size, this.dtype, this.#offset, this.#root ?? this);
    if (activeTape !== null) recordOp('reshape()', view, [this], (dy) => [dy.reshape(this.shape)]);
    return view;
  }

  /** A view of rows start..end (end exclusive) along the first dimension (no copy). */
  rows(start: number, end: number): Tensor {
    this.#check();
    const n = this.shape[0];
    if (this.rank === 0 || !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end) {
      throw new NnkitError('INVALID_ARGUMENT', `rows(${start}, ${end}): expected integers 0 ≤ start ≤ end ≤ ${n ?? 0} for shape ${formatShape(this.shape)}`);
    }
    const rowSize = this.shape.slice(1).reduce((p, d) => p * d, 1);
    const shape = Object.freeze([end - start, ...this.shape.slice(1)]);
    const offset = this.#offset + start * rowSize * bytesPerElement(this.dtype);
    const view = new Tensor(shape, (end - start) * rowSize, this.dtype, offset, this.#root ?? this);
    if (activeTape !== null) recordOp('rows()', view, [this], (dy) => [rowsGrad(dy, this.shape, start * rowSize)]);
    return view;
  }

  /** Frees the tensor's memory (a view only marks itself disposed). Disposing twice is harmless. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#root === null) release(this.#offset, Math.max(1, this.size) * bytesPerElement(this.dtype)); // to the pool
    untrack(this, this.#root === null ? this.size * bytesPerElement(this.dtype) : 0);
  }

  [Symbol.toPrimitive](): string {
    return this.toString();
  }

  toString(): string {
    if (this.isDisposed) return `Tensor(disposed, ${formatShape(this.shape)}, ${this.dtype})`;
    const values = Array.from(this.toArray().slice(0, 8), (v) => Number(v.toPrecision(6)));
    return `Tensor(${formatShape(this.shape)}, ${this.dtype}, [${values.join(', ')}${this.size > 8 ? ', …' : ''}])`;
  }
}

(Tensor.prototype as unknown as Record<symbol, () => void>)[disposeSymbol] = function (this: Tensor) {
  this.dispose();
};

/** d x of x.rows(start, end): zeros of x's shape, with dy in the slice's rows (from element `first`). */
function rowsGrad(dy: Tensor, shape: readonly number[], first: number): Tensor {
  const g = emptyTensor(shape, dy.dtype, 'rows()');
  const bytes = bytesPerElement(dy.dtype);
  const at = byteOffsetOf(g);
  const from = byteOffsetOf(dy);
  const s = kernelState(); // after the allocation, which may have grown the memory
  s.u8.fill(0, at, at + g.size * bytes);
  s.u8.copyWithin(at + first * bytes, from, from + dy.size * bytes);
  return g;
}

/** @internal The id the next tensor will get (ids only grow). */
export function nextTensorId(): number {
  return nextId;
}

/** @internal Byte offset of a live tensor's data, for the op modules of this package only. */
export function offsetOf(t: Tensor): number {
  return byteOffsetOf(t);
}

/** @internal The tensor whose memory `t` uses (itself unless it is a view). */
export function rootOf(t: Tensor): Tensor {
  return rootOfTensor(t);
}

/** @internal Allocates an uninitialized tensor. */
export function emptyTensor(shape: readonly number[], dtype: DType, where: string): Tensor {
  const checked = checkShape(shape as number[], where);
  const d = checkDType(dtype, where);
  const offset = allocate(Math.max(1, checked.size) * bytesPerElement(d), () => `${where}: shape ${formatShape(checked.shape)} ${d}`);
  return new Tensor(checked.shape, checked.size, d, offset, null);
}

/** Throws unless `t` is a live Tensor. */
export function checkTensor(t: unknown, name: string, where: string): Tensor {
  if (!(t instanceof Tensor)) {
    // A Tensor of another loaded copy of this package fails instanceof: say so, not "must be a Tensor".
    const other = otherOwner();
    if (other) throw duplicateCopies(where, other);
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} must be a Tensor, got ${describeValue(t)}${tensorHint(t)}`);
  }
  if (t.isDisposed) {
    throw new NnkitError('DISPOSED', `${where}: ${name} (tensor #${t.id} of shape ${formatShape(t.shape)}) was used after dispose()`);
  }
  return t;
}
