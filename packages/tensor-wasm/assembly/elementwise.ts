// Elementwise kernels: binary arithmetic over 2-D strided operands (a stride of 0 broadcasts a
// row or a column), unary maps and activations, and activation derivatives.
import { Activation, derivative, derivativeVector } from './activation';
import { exp, lanes, log, sigmoid, sqrt, tanh } from './math';

/** Op codes of the `binary` kernel. */
export namespace BinaryOp {
  export const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAXIMUM = 4, MINIMUM = 5;
}

@inline function scalarOp<T>(op: i32, x: T, y: T): T {
  if (op == BinaryOp.ADD) return x + y;
  if (op == BinaryOp.SUB) return x - y;
  if (op == BinaryOp.MUL) return x * y;
  if (op == BinaryOp.DIV) return x / y;
  if (op == BinaryOp.MAXIMUM) return x > y || x != x ? x : y;
  return x < y || x != x ? x : y;
}

@inline function vectorOp<T>(op: i32, x: v128, y: v128): v128 {
  if (op == BinaryOp.ADD) return v128.add<T>(x, y);
  if (op == BinaryOp.SUB) return v128.sub<T>(x, y);
  if (op == BinaryOp.MUL) return v128.mul<T>(x, y);
  if (op == BinaryOp.DIV) return v128.div<T>(x, y);
  if (op == BinaryOp.MAXIMUM) return v128.max<T>(x, y);
  return v128.min<T>(x, y);
}

@inline function binaryLoop<T>(
  op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32,
  aRow: i32, aCol: i32, bRow: i32, bCol: i32,
): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  for (let i = 0; i < rows; i++) {
    const ar = a + (<usize>i * aRow) * E;
    const br = b + (<usize>i * bRow) * E;
    const orow = out + (<usize>i * cols) * E;
    let j = 0;
    if (ASC_FEATURE_SIMD && aCol == 1 && bCol == 1) {
      for (; j + L <= cols; j += L) {
        const o = (<usize>j) * E;
        v128.store(orow + o, vectorOp<T>(op, v128.load(ar + o), v128.load(br + o)));
      }
    } else if (ASC_FEATURE_SIMD && aCol == 1 && bCol == 0) {
      const y = v128.splat<T>(load<T>(br));
      for (; j + L <= cols; j += L) {
        const o = (<usize>j) * E;
        v128.store(orow + o, vectorOp<T>(op, v128.load(ar + o), y));
      }
    } else if (ASC_FEATURE_SIMD && aCol == 0 && bCol == 1) {
      const x = v128.splat<T>(load<T>(ar));
      for (; j + L <= cols; j += L) {
        const o = (<usize>j) * E;
        v128.store(orow + o, vectorOp<T>(op, x, v128.load(br + o)));
      }
    }
    for (; j < cols; j++) {
      const x = load<T>(ar + (<usize>j * aCol) * E);
      const y = load<T>(br + (<usize>j * bCol) * E);
      store<T>(orow + (<usize>j) * E, scalarOp<T>(op, x, y));
    }
  }
}

/** out[i, j] = a[i·aRow + j·aCol] (op) b[i·bRow + j·bCol]; out is rows×cols, contiguous. */
export function binary<T>(
  op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32,
  aRow: i32, aCol: i32, bRow: i32, bCol: i32,
): void {
  switch (op) {
    case BinaryOp.ADD: binaryLoop<T>(BinaryOp.ADD, a, b, out, rows, cols, aRow, aCol, bRow, bCol); break;
    case BinaryOp.SUB: binaryLoop<T>(BinaryOp.SUB, a, b, out, rows, cols, aRow, aCol, bRow, bCol); break;
    case BinaryOp.MUL: binaryLoop<T>(BinaryOp.MUL, a, b, out, rows, cols, aRow, aCol, bRow, bCol); break;
    case BinaryOp.DIV: binaryLoop<T>(BinaryOp.DIV, a, b, out, rows, cols, aRow, aCol, bRow, bCol); break;
    case BinaryOp.MAXIMUM: binaryLoop<T>(BinaryOp.MAXIMUM, a, b, out, rows, cols, aRow, aCol, bRow, bCol); break;
    default: binaryLoop<T>(BinaryOp.MINIMUM, a, b, out, rows, cols, aRow, aCol, bRow, bCol);
  }
}

/** Op codes of the `unary` kernel. */
export namespace UnaryOp {
  export const NEG = 0, ABS = 1, EXP = 2, LOG = 3, SQRT = 4, SQUARE = 5, RELU = 6, LEAKY_RELU = 7,
    SIGMOID = 8, TANH = 9, AFFINE = 10, SIGN = 11;
}

@inline function unaryScalar<T>(op: i32, x: T, p: T, q: T): T {
  if (op == UnaryOp.NEG) return -x;
  if (op == UnaryOp.ABS) return abs<T>(x);
  if (op == UnaryOp.EXP) return exp<T>(x);
  if (op == UnaryOp.LOG) return log<T>(x);
  if (op == UnaryOp.SQRT) return sqrt<T>(x);
  if (op == UnaryOp.SQUARE) return x * x;
  if (op == UnaryOp.RELU) return x > <T>0 ? x : <T>0;
  if (op == UnaryOp.LEAKY_RELU) return x > <T>0 ? x : x * p;
  if (op == UnaryOp.SIGMOID) return sigmoid<T>(x);
  if (op == UnaryOp.TANH) return tanh<T>(x);
  if (op == UnaryOp.AFFINE) return x * p + q;
  return x > <T>0 ? <T>1 : x < <T>0 ? <T>-1 : x; // sign; keeps ±0 and NaN
}

/** Ops whose vector form is exact and cheap; the rest run lane by lane through unaryScalar. */
@inline function hasVectorForm(op: i32): bool {
  return op == UnaryOp.NEG || op == UnaryOp.ABS || op == UnaryOp.SQRT || op == UnaryOp.SQUARE || op == UnaryOp.RELU || op == UnaryOp.LEAKY_RELU || op == UnaryOp.AFFINE;
}

@inline function unaryVector<T>(op: i32, x: v128, p: v128, q: v128): v128 {
  if (op == UnaryOp.NEG) return v128.neg<T>(x);
  if (op == UnaryOp.ABS) return v128.abs<T>(x);
  if (op == UnaryOp.SQRT) return v128.sqrt<T>(x);
  if (op == UnaryOp.SQUARE) return v128.mul<T>(x, x);
  if (op == UnaryOp.RELU) return v128.and(x, v128.gt<T>(x, v128.splat<T>(<T>0)));
  if (op == UnaryOp.LEAKY_RELU) return v128.bitselect(x, v128.mul<T>(x, p), v128.gt<T>(x, v128.splat<T>(<T>0)));
  return v128.add<T>(v128.mul<T>(x, p), q);
}

@inline function unaryLoop<T>(op: i32, x: usize, out: usize, n: i32, p: T, q: T): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  let i = 0;
  if (ASC_FEATURE_SIMD && hasVectorForm(op)) {
    const pv = v128.splat<T>(p);
    const qv = v128.splat<T>(q);
    for (; i + L <= n; i += L) {
      const o = (<usize>i) * E;
      v128.store(out + o, unaryVector<T>(op, v128.load(x + o), pv, qv));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) * E;
    store<T>(out + o, unaryScalar<T>(op, load<T>(x + o), p, q));
  }
}

/** out[i] = f(x[i]); p is leakyRelu's slope or AFFINE's scale, q AFFINE's shift. */
export function unary<T>(op: i32, x: usize, out: usize, n: i32, p: T, q: T): void {
  switch (op) {
    case UnaryOp.NEG: unaryLoop<T>(UnaryOp.NEG, x, out, n, p, q); break;
    case UnaryOp.ABS: unaryLoop<T>(UnaryOp.ABS, x, out, n, p, q); break;
    case UnaryOp.EXP: unaryLoop<T>(UnaryOp.EXP, x, out, n, p, q); break;
    case UnaryOp.LOG: unaryLoop<T>(UnaryOp.LOG, x, out, n, p, q); break;
    case UnaryOp.SQRT: unaryLoop<T>(UnaryOp.SQRT, x, out, n, p, q); break;
    case UnaryOp.SQUARE: unaryLoop<T>(UnaryOp.SQUARE, x, out, n, p, q); break;
    case UnaryOp.RELU: unaryLoop<T>(UnaryOp.RELU, x, out, n, p, q); break;
    case UnaryOp.LEAKY_RELU: unaryLoop<T>(UnaryOp.LEAKY_RELU, x, out, n, p, q); break;
    case UnaryOp.SIGMOID: unaryLoop<T>(UnaryOp.SIGMOID, x, out, n, p, q); break;
    case UnaryOp.TANH: unaryLoop<T>(UnaryOp.TANH, x, out, n, p, q); break;
    case UnaryOp.AFFINE: unaryLoop<T>(UnaryOp.AFFINE, x, out, n, p, q); break;
    default: unaryLoop<T>(UnaryOp.SIGN, x, out, n, p, q);
  }
}

/** out = dy ⊙ act'(·) over n elements, from the activation's output y; p is leaky relu's slope. */
@inline function gradLoop<T>(op: i32, dy: usize, y: usize, out: usize, n: i32, p: T): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const pv = v128.splat<T>(p);
    for (; i + L <= n; i += L) {
      const o = (<usize>i) * E;
      v128.store(out + o, derivativeVector<T>(op, v128.load(dy + o), v128.load(y + o), pv));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) * E;
    store<T>(out + o, derivative<T>(op, load<T>(dy + o), load<T>(y + o), p));
  }
}

export function activationGrad<T>(op: i32, dy: usize, y: usize, out: usize, n: i32, p: T): void {
  switch (op) {
    case Activation.RELU: gradLoop<T>(Activation.RELU, dy, y, out, n, p); break;
    case Activation.LEAKY_RELU: gradLoop<T>(Activation.LEAKY_RELU, dy, y, out, n, p); break;
    case Activation.SIGMOID: gradLoop<T>(Activation.SIGMOID, dy, y, out, n, p); break;
    default: gradLoop<T>(Activation.TANH, dy, y, out, n, p);
  }
}
