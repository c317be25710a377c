// Elementwise kernels: binary arithmetic over 2-D strided operands (a stride of 0 broadcasts a
// row or a column), unary maps and activations, and activation derivatives.
import { exp, lanes, log, sigmoid, sqrt, tanh } from './math';

export const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAXIMUM = 4, MINIMUM = 5;

@inline function scalarOp<T>(op: i32, x: T, y: T): T {
  if (op == ADD) return x + y;
  if (op == SUB) return x - y;
  if (op == MUL) return x * y;
  if (op == DIV) return x / y;
  if (op == MAXIMUM) return x > y || x != x ? x : y;
  return x < y || x != x ? x : y;
}

@inline function vectorOp<T>(op: i32, x: v128, y: v128): v128 {
  if (op == ADD) return v128.add<T>(x, y);
  if (op == SUB) return v128.sub<T>(x, y);
  if (op == MUL) return v128.mul<T>(x, y);
  if (op == DIV) return v128.div<T>(x, y);
  if (op == MAXIMUM) return v128.max<T>(x, y);
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
    case ADD: binaryLoop<T>(ADD, a, b, out, rows, cols, aRow, aCol, bRow, bCol); break;
    case SUB: binaryLoop<T>(SUB, a, b, out, rows, cols, aRow, aCol, bRow, bCol); break;
    case MUL: binaryLoop<T>(MUL, a, b, out, rows, cols, aRow, aCol, bRow, bCol); break;
    case DIV: binaryLoop<T>(DIV, a, b, out, rows, cols, aRow, aCol, bRow, bCol); break;
    case MAXIMUM: binaryLoop<T>(MAXIMUM, a, b, out, rows, cols, aRow, aCol, bRow, bCol); break;
    default: binaryLoop<T>(MINIMUM, a, b, out, rows, cols, aRow, aCol, bRow, bCol);
  }
}

export const NEG = 0, ABS = 1, EXP = 2, LOG = 3, SQRT = 4, SQUARE = 5, RELU = 6, LEAKY_RELU = 7,
  SIGMOID = 8, TANH = 9, AFFINE = 10, SIGN = 11;

@inline function unaryScalar<T>(op: i32, x: T, p: T, q: T): T {
  if (op == NEG) return -x;
  if (op == ABS) return abs<T>(x);
  if (op == EXP) return exp<T>(x);
  if (op == LOG) return log<T>(x);
  if (op == SQRT) return sqrt<T>(x);
  if (op == SQUARE) return x * x;
  if (op == RELU) return x > <T>0 ? x : <T>0;
  if (op == LEAKY_RELU) return x > <T>0 ? x : x * p;
  if (op == SIGMOID) return sigmoid<T>(x);
  if (op == TANH) return tanh<T>(x);
  if (op == AFFINE) return x * p + q;
  return x > <T>0 ? <T>1 : x < <T>0 ? <T>-1 : x; // sign; keeps ±0 and NaN
}

/** Ops whose vector form is exact and cheap; the rest run lane by lane through unaryScalar. */
@inline function hasVectorForm(op: i32): bool {
  return op == NEG || op == ABS || op == SQRT || op == SQUARE || op == RELU || op == LEAKY_RELU || op == AFFINE;
}

@inline function unaryVector<T>(op: i32, x: v128, p: v128, q: v128): v128 {
  if (op == NEG) return v128.neg<T>(x);
  if (op == ABS) return v128.abs<T>(x);
  if (op == SQRT) return v128.sqrt<T>(x);
  if (op == SQUARE) return v128.mul<T>(x, x);
  if (op == RELU) return v128.and(x, v128.gt<T>(x, v128.splat<T>(<T>0)));
  if (op == LEAKY_RELU) return v128.bitselect(x, v128.mul<T>(x, p), v128.gt<T>(x, v128.splat<T>(<T>0)));
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
    case NEG: unaryLoop<T>(NEG, x, out, n, p, q); break;
    case ABS: unaryLoop<T>(ABS, x, out, n, p, q); break;
    case EXP: unaryLoop<T>(EXP, x, out, n, p, q); break;
    case LOG: unaryLoop<T>(LOG, x, out, n, p, q); break;
    case SQRT: unaryLoop<T>(SQRT, x, out, n, p, q); break;
    case SQUARE: unaryLoop<T>(SQUARE, x, out, n, p, q); break;
    case RELU: unaryLoop<T>(RELU, x, out, n, p, q); break;
    case LEAKY_RELU: unaryLoop<T>(LEAKY_RELU, x, out, n, p, q); break;
    case SIGMOID: unaryLoop<T>(SIGMOID, x, out, n, p, q); break;
    case TANH: unaryLoop<T>(TANH, x, out, n, p, q); break;
    case AFFINE: unaryLoop<T>(AFFINE, x, out, n, p, q); break;
    default: unaryLoop<T>(SIGN, x, out, n, p, q);
  }
}

/**
 * Activation derivative times the upstream gradient: out = dy ⊙ act'(·), from the activation's
 * output y (relu, leaky relu with slope ≥ 0, sigmoid, tanh all have derivatives expressible in y).
 */
@inline function gradScalar<T>(op: i32, dy: T, y: T, p: T): T {
  if (op == RELU) return y > <T>0 ? dy : <T>0;
  if (op == LEAKY_RELU) return y > <T>0 ? dy : dy * p;
  if (op == SIGMOID) return dy * y * (<T>1 - y);
  return dy * (<T>1 - y * y); // tanh
}

@inline function gradVector<T>(op: i32, dy: v128, y: v128, p: v128): v128 {
  const zero = v128.splat<T>(<T>0);
  const one = v128.splat<T>(<T>1);
  if (op == RELU) return v128.and(dy, v128.gt<T>(y, zero));
  if (op == LEAKY_RELU) return v128.bitselect(dy, v128.mul<T>(dy, p), v128.gt<T>(y, zero));
  if (op == SIGMOID) return v128.mul<T>(v128.mul<T>(dy, y), v128.sub<T>(one, y));
  return v128.mul<T>(dy, v128.sub<T>(one, v128.mul<T>(y, y)));
}

@inline function gradLoop<T>(op: i32, dy: usize, y: usize, out: usize, n: i32, p: T): void {
  const E = sizeof<T>();
  const L = lanes<T>();
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const pv = v128.splat<T>(p);
    for (; i + L <= n; i += L) {
      const o = (<usize>i) * E;
      v128.store(out + o, gradVector<T>(op, v128.load(dy + o), v128.load(y + o), pv));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) * E;
    store<T>(out + o, gradScalar<T>(op, load<T>(dy + o), load<T>(y + o), p));
  }
}

export function activationGrad<T>(op: i32, dy: usize, y: usize, out: usize, n: i32, p: T): void {
  switch (op) {
    case RELU: gradLoop<T>(RELU, dy, y, out, n, p); break;
    case LEAKY_RELU: gradLoop<T>(LEAKY_RELU, dy, y, out, n, p); break;
    case SIGMOID: gradLoop<T>(SIGMOID, dy, y, out, n, p); break;
    default: gradLoop<T>(TANH, dy, y, out, n, p);
  }
}
