// Row-wise softmax and log-softmax, shifted by the row maximum so that logits of ±1000 are safe.
import { exp, log } from './math';

export function softmaxRows<T>(x: usize, out: usize, rows: i32, cols: i32, logarithm: bool, rowStart: i32, rowEnd: i32): void {
  const E = sizeof<T>();
  for (let r = rowStart; r < rowEnd; r++) {
    const xr = x + (<usize>r * cols) * E;
    const orow = out + (<usize>r * cols) * E;
    let m = load<T>(xr);
    for (let j = 1; j < cols; j++) {
      const v = load<T>(xr + (<usize>j) * E);
      if (v > m) m = v;
    }
    let s = <T>0;
    if (logarithm) {
      for (let j = 0; j < cols; j++) s += exp<T>(load<T>(xr + (<usize>j) * E) - m);
      const shift = m + log<T>(s);
      for (let j = 0; j < cols; j++) {
        const p = (<usize>j) * E;
        store<T>(orow + p, load<T>(xr + p) - shift);
      }
    } else {
      for (let j = 0; j < cols; j++) {
        const p = (<usize>j) * E;
        const e = exp<T>(load<T>(xr + p) - m);
        store<T>(orow + p, e);
        s += e;
      }
      const inv = <T>1 / s;
      for (let j = 0; j < cols; j++) {
        const p = (<usize>j) * E;
        store<T>(orow + p, load<T>(orow + p) * inv);
      }
    }
  }
}
