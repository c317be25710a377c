import { NnkitError } from './errors';

/** Largest number of elements a tensor may hold (WebAssembly's 32-bit address space, in f32). */
export const MAX_ELEMENTS = 2 ** 30;

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Validates a shape and returns a frozen copy with its element count. */
export function checkShape(shape: unknown, where: string): { shape: readonly number[]; size: number } {
  if (!Array.isArray(shape)) {
    throw new NnkitError('INVALID_SHAPE', `${where}: shape must be an array of non-negative integers, got ${String(shape)}`);
  }
  let size = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new NnkitError(
        'INVALID_SHAPE',
        `${where}: shape ${formatShape(shape)} has dimension ${String(d)}; expected non-negative integers`,
      );
    }
    size *= d;
  }
  if (size > MAX_ELEMENTS) {
    throw new NnkitError(
      'OUT_OF_MEMORY',
      `${where}: shape ${formatShape(shape)} holds ${size} elements; WebAssembly memory allows at most ${MAX_ELEMENTS}`,
    );
  }
  return { shape: Object.freeze([...shape]), size };
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy-style broadcast of two shapes, or null when they are incompatible. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Row-major strides of `shape` aligned to an output of rank `rank`, 0 where a dimension broadcasts. */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = rank - shape.length + i;
    strides[o] = shape[i] === 1 && outShape[o] !== 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}
