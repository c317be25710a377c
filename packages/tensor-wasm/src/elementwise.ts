// Elementwise ops: broadcasting arithmetic, unary maps, activations and their derivatives.
import { activeTape, BACKWARD_OP, recordOp, refuseGrad } from './autodiff/tape';
import { unbroadcast } from './autodiff/broadcast';
import { kernels } from './backend';
import type { DType } from './dtype';
import { NnkitError } from './errors';
import { Activation, BinaryOp, UnaryOp } from './generated/kernel-bindings';
import { checkSameDType, type OutOptions, resultTensor } from './ops-common';
import { broadcastShapes, broadcastStrides, formatShape, sameShape } from './shape';
import { checkTensor, emptyTensor, offsetOf, type Tensor } from './tensor';

const BINARY = {
  add: BinaryOp.ADD, sub: BinaryOp.SUB, mul: BinaryOp.MUL, div: BinaryOp.DIV, maximum: BinaryOp.MAXIMUM, minimum: BinaryOp.MINIMUM,
} as const;
type BinaryName = keyof typeof BINARY;

function scalarTensor(value: number, dtype: DType, where: string): Tensor {
  if (typeof value !== 'number') {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: expected a Tensor or a number, got ${typeof value}`);
  }
  const t = emptyTensor([], dtype, where);
  t.assign([value]);
  return t;
}

function binary(op: BinaryName, a: Tensor | number, b: Tensor | number, opts: OutOptions): Tensor {
  const where = `${op}()`;
  if (typeof a === 'number' && typeof b === 'number') {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: at least one operand must be a Tensor`);
  }
  const ta = typeof a === 'number' ? scalarTensor(a, (b as Tensor).dtype, where) : checkTensor(a, 'a', where);
  const tb = typeof b === 'number' ? scalarTensor(b, ta.dtype, where) : checkTensor(b, 'b', where);
  try {
    const dtype = checkSameDType(ta, tb, where);
    const shape = broadcastShapes(ta.shape, tb.shape);
    if (!shape) {
      throw new NnkitError('SHAPE_MISMATCH', `${where}: shapes ${formatShape(ta.shape)} and ${formatShape(tb.shape)} do not broadcast`);
    }
    const out = resultTensor(shape, dtype, opts.out, where);
    runBinary(BINARY[op], ta, tb, out);
    if (activeTape !== null) recordBinary(op, a, b, ta, tb, out);
    return out;
  } finally {
    if (typeof a === 'number') ta.dispose();
    if (typeof b === 'number') tb.dispose();
  }
}

/**
 * Backward rules of the broadcasting binary ops; each gradient is summed back over the axes its
 * operand was broadcast along. A number operand gets no gradient (its temporary tensor is freed).
 * maximum/minimum split the gradient equally at ties, as torch.maximum does.
 */
function recordBinary(op: BinaryName, a: Tensor | number, b: Tensor | number, ta: Tensor, tb: Tensor, out: Tensor): void {
  recordOp(`${op}()`, out, [ta, tb], (dy, needs) => {
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (op === 'add') {
      da = dy;
      db = needs[1] ? dy : null;
    } else if (op === 'sub') {
      da = dy;
      db = needs[1] ? neg(dy) : null;
    } else if (op === 'mul') {
      da = needs[0] ? mul(dy, b) : null;
      db = needs[1] ? mul(dy, a) : null;
    } else if (op === 'div') {
      da = needs[0] ? div(dy, b) : null;
      db = needs[1] ? neg(div(mul(dy, a), mul(b, b))) : null;
    } else {
      // Weight of a: 1 where it wins, ½ at a tie, 0 where it loses; b gets the rest.
      const s = sign(sub(a, b));
      const wa = op === 'maximum' ? affine(s, 0.5, 0.5) : affine(s, -0.5, 0.5);
      da = needs[0] ? mul(dy, wa) : null;
      db = needs[1] ? mul(dy, affine(wa, -1, 1)) : null;
    }
    return [needs[0] && da ? unbroadcast(da, ta.shape) : null, needs[1] && db ? unbroadcast(db, tb.shape) : null];
  });
}

/** Runs the 2-D strided kernel over the innermost two dimensions, once per outer index. */
function runBinary(op: number, a: Tensor, b: Tensor, out: Tensor): void {
  const k = kernels(out.dtype);
  const bytes = out.dtype === 'float32' ? 4 : 8;
  const pa = offsetOf(a);
  const pb = offsetOf(b);
  const po = offsetOf(out);
  if (out.size === 0) return;
  if (sameShape(a.shape, out.shape) && sameShape(b.shape, out.shape)) {
    k.binary(op, pa, pb, po, 1, out.size, 0, 1, 0, 1);
    return;
  }
  const shape = out.rank >= 2 ? out.shape : out.rank === 1 ? [1, out.shape[0]] : [1, 1];
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  const r = shape.length;
  const rows = shape[r - 2];
  const cols = shape[r - 1];
  const outer = shape.slice(0, r - 2);
  const count = outer.reduce((p, d) => p * d, 1);
  const index = new Array<number>(outer.length).fill(0);
  for (let o = 0; o < count; o++) {
    let oa = 0;
    let ob = 0;
    for (let d = 0; d < outer.length; d++) {
      oa += index[d] * sa[d];
      ob += index[d] * sb[d];
    }
    k.binary(op, pa + oa * bytes, pb + ob * bytes, po + o * rows * cols * bytes, rows, cols, sa[r - 2], sa[r - 1], sb[r - 2], sb[r - 1]);
    for (let d = outer.length - 1; d >= 0 && ++index[d] === outer[d]; d--) index[d] = 0;
  }
}

/** a + b, broadcasting (a bias row [n] adds to every row of [m, n]). */
export function add(a: Tensor | number, b: Tensor | number, opts: OutOptions = {}): Tensor {
  return binary('add', a, b, opts);
}
/** a − b, broadcasting. */
export function sub(a: Tensor | number, b: Tensor | number, opts: OutOptions = {}): Tensor {
  return binary('sub', a, b, opts);
}
/** a ⊙ b (elementwise), broadcasting. */
export function mul(a: Tensor | number, b: Tensor | number, opts: OutOptions = {}): Tensor {
  return binary('mul', a, b, opts);
}
/** a / b (elementwise), broadcasting. */
export function div(a: Tensor | number, b: Tensor | number, opts: OutOptions = {}): Tensor {
  return binary('div', a, b, opts);
}
/** Elementwise maximum, broadcasting; NaN wins. */
export function maximum(a: Tensor | number, b: Tensor | number, opts: OutOptions = {}): Tensor {
  return binary('maximum', a, b, opts);
}
/** Elementwise minimum, broadcasting; NaN wins. */
export function minimum(a: Tensor | number, b: Tensor | number, opts: OutOptions = {}): Tensor {
  return binary('minimum', a, b, opts);
}

const UNARY = {
  neg: UnaryOp.NEG, abs: UnaryOp.ABS, exp: UnaryOp.EXP, log: UnaryOp.LOG, sqrt: UnaryOp.SQRT, square: UnaryOp.SQUARE,
  relu: UnaryOp.RELU, leakyRelu: UnaryOp.LEAKY_RELU, sigmoid: UnaryOp.SIGMOID, tanh: UnaryOp.TANH, affine: UnaryOp.AFFINE, sign: UnaryOp.SIGN,
} as const;

function unary(op: keyof typeof UNARY, x: Tensor, p: number, q: number, opts: OutOptions): Tensor {
  const where = `${op}()`;
  checkTensor(x, 'x', where);
  const out = resultTensor(x.shape, x.dtype, opts.out, where);
  kernels(x.dtype).unary(UNARY[op], offsetOf(x), offsetOf(out), x.size, p, q);
  if (activeTape !== null) recordOp(where, out, [x], (dy) => [unaryGrad(op, dy, x, out, p)]);
  return out;
}

/**
 * d x from d y for y = op(x). Kinks follow PyTorch: relu'(0) = 0, |x|'(0) = 0, leakyRelu'(0) = alpha,
 * sign' = 0.
 */
function unaryGrad(op: keyof typeof UNARY, dy: Tensor, x: Tensor, y: Tensor, p: number): Tensor {
  switch (op) {
    case 'neg': return neg(dy);
    case 'abs': return mul(dy, sign(x));
    case 'exp': return mul(dy, y);
    case 'log': return div(dy, x);
    case 'sqrt': return div(dy, mul(y, 2));
    case 'square': return mul(dy, mul(x, 2));
    case 'sign': return mul(dy, 0);
    case 'relu': return reluGrad(dy, y);
    case 'leakyRelu': return leakyReluGrad(dy, y, p);
    case 'sigmoid': return sigmoidGrad(dy, y);
    case 'tanh': return tanhGrad(dy, y);
    case 'affine': return affine(dy, p, 0);
  }
}

/** −x */
export const neg = (x: Tensor, opts: OutOptions = {}): Tensor => unary('neg', x, 0, 0, opts);
/** |x| */
export const abs = (x: Tensor, opts: OutOptions = {}): Tensor => unary('abs', x, 0, 0, opts);
/** eˣ */
export const exp = (x: Tensor, opts: OutOptions = {}): Tensor => unary('exp', x, 0, 0, opts);
/** Natural logarithm. */
export const log = (x: Tensor, opts: OutOptions = {}): Tensor => unary('log', x, 0, 0, opts);
/** Square root. */
export const sqrt = (x: Tensor, opts: OutOptions = {}): Tensor => unary('sqrt', x, 0, 0, opts);
/** x² */
export const square = (x: Tensor, opts: OutOptions = {}): Tensor => unary('square', x, 0, 0, opts);
/** Sign: −1, 0 or 1 (NaN stays NaN). */
export const sign = (x: Tensor, opts: OutOptions = {}): Tensor => unary('sign', x, 0, 0, opts);
/** max(x, 0) */
export const relu = (x: Tensor, opts: OutOptions = {}): Tensor => unary('relu', x, 0, 0, opts);
/** Logistic sigmoid 1/(1+e⁻ˣ), stable for large |x|. */
export const sigmoid = (x: Tensor, opts: OutOptions = {}): Tensor => unary('sigmoid', x, 0, 0, opts);
/** Hyperbolic tangent. */
export const tanh = (x: Tensor, opts: OutOptions = {}): Tensor => unary('tanh', x, 0, 0, opts);

/** Default slope of leakyRelu for x < 0 (PyTorch's default). */
export const LEAKY_RELU_ALPHA = 0.01;

function checkAlpha(alpha: number, where: string): void {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: alpha ${String(alpha)} must be a finite number ≥ 0`);
  }
}

/** x for x > 0, alpha·x otherwise. */
export function leakyRelu(x: Tensor, alpha = LEAKY_RELU_ALPHA, opts: OutOptions = {}): Tensor {
  checkAlpha(alpha, 'leakyRelu()');
  return unary('leakyRelu', x, alpha, 0, opts);
}

/** x·scale + shift in one pass. */
export function affine(x: Tensor, scale: number, shift = 0, opts: OutOptions = {}): Tensor {
  if (!Number.isFinite(scale) || !Number.isFinite(shift)) {
    throw new NnkitError('INVALID_ARGUMENT', `affine(): scale ${scale} and shift ${shift} must be finite numbers`);
  }
  return unary('affine', x, scale, shift, opts);
}

const ACTIVATION = { relu: Activation.RELU, leakyRelu: Activation.LEAKY_RELU, sigmoid: Activation.SIGMOID, tanh: Activation.TANH } as const;

function activationGrad(op: keyof typeof ACTIVATION, dy: Tensor, y: Tensor, p: number, opts: OutOptions): Tensor {
  const where = `${op}Grad()`;
  checkTensor(dy, 'dy', where);
  checkTensor(y, 'y', where);
  checkSameDType(dy, y, where);
  if (!sameShape(dy.shape, y.shape)) {
    throw new NnkitError('SHAPE_MISMATCH', `${where}: dy ${formatShape(dy.shape)} and y ${formatShape(y.shape)} must have the same shape`);
  }
  if (activeTape !== null) refuseGrad(where, [dy, y], BACKWARD_OP);
  const out = resultTensor(y.shape, y.dtype, opts.out, where);
  kernels(y.dtype).activation_grad(ACTIVATION[op], offsetOf(dy), offsetOf(y), offsetOf(out), y.size, p);
  return out;
}

/** dy ⊙ relu'(x), from the output y = relu(x). */
export const reluGrad = (dy: Tensor, y: Tensor, opts: OutOptions = {}): Tensor => activationGrad('relu', dy, y, 0, opts);
/** dy ⊙ σ'(x) = dy ⊙ y(1−y), from y = σ(x). */
export const sigmoidGrad = (dy: Tensor, y: Tensor, opts: OutOptions = {}): Tensor => activationGrad('sigmoid', dy, y, 0, opts);
/** dy ⊙ tanh'(x) = dy ⊙ (1−y²), from y = tanh(x). */
export const tanhGrad = (dy: Tensor, y: Tensor, opts: OutOptions = {}): Tensor => activationGrad('tanh', dy, y, 0, opts);
/** dy ⊙ leakyRelu'(x), from y = leakyRelu(x, alpha). */
export function leakyReluGrad(dy: Tensor, y: Tensor, alpha = LEAKY_RELU_ALPHA, opts: OutOptions = {}): Tensor {
  checkAlpha(alpha, 'leakyReluGrad()');
  return activationGrad('leakyRelu', dy, y, alpha, opts);
}
