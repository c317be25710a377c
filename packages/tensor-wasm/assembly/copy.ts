// Data movement: fill, 2-D transpose (blocked for cache), and gathering rows by index.

export function fill<T>(ptr: usize, n: i32, value: T): void {
  const E = sizeof<T>();
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const v = v128.splat<T>(value);
    const L = <i32>(16 / <i32>E);
    for (; i + L <= n; i += L) v128.store(ptr + (<usize>i) * E, v);
  }
  for (; i < n; i++) store<T>(ptr + (<usize>i) * E, value);
}

const BLOCK: i32 = 16;

/** out (cols×rows) = xᵀ, x rows×cols; only source rows rowStart..rowEnd are moved. */
export function transpose2d<T>(x: usize, out: usize, rows: i32, cols: i32, rowStart: i32, rowEnd: i32): void {
  const E = sizeof<T>();
  for (let i0 = rowStart; i0 < rowEnd; i0 += BLOCK) {
    const i1 = min(i0 + BLOCK, rowEnd);
    for (let j0 = 0; j0 < cols; j0 += BLOCK) {
      const j1 = min(j0 + BLOCK, cols);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          store<T>(out + (<usize>j * rows + i) * E, load<T>(x + (<usize>i * cols + j) * E));
        }
      }
    }
  }
}

/** out[r, :] = x[indices[r], :] for r < count; indices are i32. */
export function gatherRows<T>(x: usize, indices: usize, out: usize, count: i32, cols: i32): void {
  const bytes = (<usize>cols) * sizeof<T>();
  for (let r = 0; r < count; r++) {
    const src = load<i32>(indices + (<usize>r) * 4);
    memory.copy(out + (<usize>r) * bytes, x + (<usize>src) * bytes, bytes);
  }
}
