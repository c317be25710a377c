import { beforeAll, describe, expect, test } from 'vitest';
import { Activation } from './generated/kernel-bindings';
import {
  activationBackward, axpy, axpySign, type DType, denseForward, type FusedActivation, init, sigmoidCrossEntropyWithLogits, softmaxCrossEntropyWithLogits,
  sumAbs, sumSquares, tensor, zeros,
} from './index';
import { bothBuilds, heapOf } from './test-support/builds';
import { maxRelativeError, randomValues, referenceMatmul } from './test-support/reference';

beforeAll(() => init());

const ACTIVATIONS: Array<[FusedActivation, (z: number) => number, (y: number) => number]> = [
  ['linear', (z) => z, () => 1],
  ['relu', (z) => Math.max(z, 0), (y) => (y > 0 ? 1 : 0)],
  ['leakyRelu', (z) => (z > 0 ? z : 0.01 * z), (y) => (y > 0 ? 1 : 0.01)],
  ['sigmoid', (z) => 1 / (1 + Math.exp(-z)), (y) => y * (1 - y)],
  ['tanh', Math.tanh, (y) => 1 - y * y],
];

describe.each(['float32', 'float64'] as DType[])('%s', (dtype) => {
  const tol = dtype === 'float32' ? 5e-6 : 1e-13;

  test.each(ACTIVATIONS)('denseForward with %s equals act(x·w + b)', (activation, f) => {
    const [m, k, n] = [13, 29, 11];
    const xv = randomValues(m * k, 1);
    const wv = randomValues(k * n, 2);
    const bv = randomValues(n, 3);
    const y = denseForward(tensor(xv, [m, k], dtype), tensor(wv, [k, n], dtype), tensor(bv, [n], dtype), { activation });
    const { values, magnitude } = referenceMatmul(xv, wv, m, n, k, false, false);
    const want = Array.from(values, (v, i) => f(v + bv[i % n]));
    expect(maxRelativeError(y.toArray(), want, Array.from(magnitude, (s, i) => s + Math.abs(bv[i % n])))).toBeLessThanOrEqual(tol);
    const noBias = denseForward(tensor(xv, [m, k], dtype), tensor(wv, [k, n], dtype), null, { activation });
    expect(maxRelativeError(noBias.toArray(), Array.from(values, f), magnitude)).toBeLessThanOrEqual(tol);
  });

  test.each(ACTIVATIONS)('activationBackward with %s gives dz and db = Σ rows dz', (activation, f, df) => {
    const [m, n] = [9, 14];
    const y = tensor(randomValues(m * n, 4).map((v) => f(3 * v)), [m, n], dtype);
    const yv = Array.from(y.toArray());
    const dyv = randomValues(m * n, 5);
    const db = zeros([n], dtype);
    const dz = activationBackward(tensor(dyv, [m, n], dtype), y, { activation, biasGrad: db });
    const want = dyv.map((d, i) => d * df(yv[i]));
    expect(maxRelativeError(dz.toArray(), want, dyv.map((d) => Math.max(Math.abs(d), 1e-6)))).toBeLessThanOrEqual(tol);
    const dbWant = Array.from({ length: n }, (_, j) => want.filter((_, i) => i % n === j).reduce((a, b) => a + b, 0));
    const dbScale = Array.from({ length: n }, (_, j) => dyv.filter((_, i) => i % n === j).reduce((a, b) => a + Math.abs(b), 0));
    expect(maxRelativeError(db.toArray(), dbWant, dbScale)).toBeLessThanOrEqual(tol);
  });

  test('softmax cross-entropy: loss and (softmax − y)/m against the formula, one-hot and class ids', () => {
    const [m, k] = [6, 5];
    const z = randomValues(m * k, 6).map((v) => v * 5);
    const ids = [0, 4, 2, 2, 1, 3];
    const onehot = ids.flatMap((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0)));
    let lossWant = 0;
    const gradWant: number[] = [];
    for (let i = 0; i < m; i++) {
      const row = z.slice(i * k, (i + 1) * k);
      const mx = Math.max(...row);
      const s = row.reduce((a, v) => a + Math.exp(v - mx), 0);
      lossWant += (mx + Math.log(s) - row[ids[i]]) / m;
      for (let j = 0; j < k; j++) gradWant.push((Math.exp(row[j] - mx) / s - onehot[i * k + j]) / m);
    }
    const logits = tensor(z, [m, k], dtype);
    for (const labels of [tensor(onehot, [m, k], dtype), Int32Array.from(ids)]) {
      const grad = zeros([m, k], dtype);
      const loss = softmaxCrossEntropyWithLogits(logits, labels, { grad });
      expect(Math.abs(loss - lossWant) / lossWant).toBeLessThanOrEqual(tol);
      expect(maxRelativeError(grad.toArray(), gradWant, gradWant.map(() => 1 / m))).toBeLessThanOrEqual(tol);
    }
  });

  test('softmax cross-entropy at logits of ±1000 is exact and finite', () => {
    // Row 1: the right class has logit 1000, the others 0 and -1000 → loss 0 (e^-1000 underflows).
    // Row 2: the right class has logit -1000 and another 1000 → loss 2000.
    const logits = tensor([1000, 0, -1000, 1000, 0, -1000], [2, 3], dtype);
    const grad = zeros([2, 3], dtype);
    const loss = softmaxCrossEntropyWithLogits(logits, [0, 2], { grad });
    expect(loss).toBe((0 + 2000) / 2);
    expect(Array.from(grad.toArray())).toEqual([0, 0, 0, 0.5, 0, -0.5]);
  });

  test('sigmoid cross-entropy matches −t·log σ(z) − (1−t)·log(1−σ(z)) and stays finite at ±1000', () => {
    const z = [-3, -0.5, 0, 0.25, 2, 7];
    const t = [0, 1, 1, 0, 1, 0.3];
    const sig = z.map((v) => 1 / (1 + Math.exp(-v)));
    const lossWant = z.reduce((a, _, i) => a - t[i] * Math.log(sig[i]) - (1 - t[i]) * Math.log(1 - sig[i]), 0) / z.length;
    const grad = zeros([6], dtype);
    const loss = sigmoidCrossEntropyWithLogits(tensor(z, [6], dtype), tensor(t, [6], dtype), { grad });
    expect(Math.abs(loss - lossWant) / lossWant).toBeLessThanOrEqual(tol);
    expect(maxRelativeError(grad.toArray(), sig.map((s, i) => (s - t[i]) / 6), z.map(() => 1 / 6))).toBeLessThanOrEqual(tol);
    // log(1 + e^1000) = 1000 to every digit a float holds.
    expect(sigmoidCrossEntropyWithLogits(tensor([1000, -1000], [2], dtype), tensor([0, 1], [2], dtype))).toBe(1000);
  });

  test('axpySign adds α·sign(x), 0 at zero, on SIMD lanes and the tail', () => {
    const xv = [-2, 0, 3, -0, 0.5, -1e-30, 7, -7, 1];
    const y = tensor(xv.map(() => 1), [9], dtype);
    axpySign(0.25, tensor(xv, [9], dtype), y);
    expect(Array.from(y.toArray())).toEqual(xv.map((v) => 1 + 0.25 * Math.sign(v)));
  });

  test('axpy, sumSquares, sumAbs', () => {
    const y = tensor([1, 2, 3, 4, 5], [5], dtype);
    axpy(0.5, tensor([2, 2, 2, 2, -2], [5], dtype), y);
    expect(Array.from(y.toArray())).toEqual([2, 3, 4, 5, 4]);
    expect(sumSquares(y)).toBe(4 + 9 + 16 + 25 + 16);
    expect(sumAbs(tensor([-1.5, 2, -3], [3], dtype))).toBe(6.5);
  });

  test('sumSquares and sumAbs on every length through the vector body and each tail', () => {
    // Small integers: every square and partial sum is exact in float64, so the sums must be exact.
    for (let n = 0; n <= 41; n++) {
      const xv = Array.from({ length: n }, (_, i) => (i % 7) - 3);
      const x = tensor(xv, [n], dtype);
      expect(sumSquares(x), `n = ${n}`).toBe(xv.reduce((a, v) => a + v * v, 0));
      expect(sumAbs(x), `n = ${n}`).toBe(xv.reduce((a, v) => a + Math.abs(v), 0));
      x.dispose();
    }
  });
});

describe('fused op errors', () => {
  test('unknown activation, bias of the wrong size, class ids out of range', () => {
    const x = zeros([2, 3]);
    const w = zeros([3, 4]);
    expect(() => denseForward(x, w, null, { activation: 'gelu' as FusedActivation })).toThrow(/unknown activation "gelu"/);
    expect(() => denseForward(x, w, zeros([5]))).toThrow(/bias \[5\] does not match 4 output units/);
    expect(() => softmaxCrossEntropyWithLogits(zeros([2, 3]), [0, 3])).toThrow(/class id 3 at row 1 is outside \[0, 3\)/);
    expect(() => softmaxCrossEntropyWithLogits(zeros([2, 3]), [0])).toThrow(/1 class ids for 2 rows/);
  });
});

describe('the SIMD and the scalar builds write the same bits', () => {
  test.each(['float32', 'float64'] as DType[])('%s: the cross-entropies, whose per-unit losses add up in order to the returned sum', async (dtype) => {
    const [m, k] = [7, 5];
    const n = m * k;
    const runs = (await bothBuilds()).map((build) => {
      const { memory } = build;
      const kernel = build[dtype];
      const { base, bytes, view } = heapOf(build, dtype);
      // logits, one-hot labels (or sigmoid targets), grad, then m class ids and n f64 losses.
      const [z, y, grad] = [0, 1, 2].map((a) => base + a * n * bytes);
      const ids = base + Math.ceil((3 * n * bytes) / 16) * 16; // the losses must be 8-aligned
      const losses = ids + 8 * m;
      view.set(randomValues(n, 11).map((v) => 6 * v), z / bytes);
      const classes = Array.from({ length: m }, (_, i) => (3 * i) % k);
      view.set(Array.from({ length: n }, (_, e) => (classes[Math.floor(e / k)] === e % k ? 1 : 0)), y / bytes);
      new Int32Array(memory.buffer).set(classes, ids / 4);
      const f64 = new Float64Array(memory.buffer);
      const inOrder = (count: number) => f64.slice(losses / 8, losses / 8 + count).reduce((s, v) => s + v, 0);
      const out: Array<number | string> = [];
      for (const [labels, classIds] of [[y, 0], [ids, 1]] as const) {
        const total = kernel.softmax_xent(z, labels, classIds, grad, m, k, 1 / m, 0);
        expect(kernel.softmax_xent(z, labels, classIds, grad, m, k, 1 / m, losses)).toBe(total);
        expect(inOrder(m)).toBe(total);
        out.push(total, Array.from(new Uint8Array(memory.buffer, grad, n * bytes)).join(), inOrder(m));
      }
      view.set(randomValues(n, 12).map((v) => (v + 1) / 2), y / bytes); // targets in [0, 1]
      const total = kernel.sigmoid_xent(z, y, grad, n, 1 / n, 0);
      expect(kernel.sigmoid_xent(z, y, grad, n, 1 / n, losses)).toBe(total);
      expect(inOrder(n)).toBe(total);
      out.push(total, Array.from(new Uint8Array(memory.buffer, grad, n * bytes)).join());
      return out;
    });
    expect(runs[0]).toEqual(runs[1]);
  });

  test.each(['float32', 'float64'] as DType[])('%s: activationBackward with a bias gradient, over all columns and over a range of them', async (dtype) => {
    // 70 rows: three tiles of the bias gradient's column sums; 37 columns: blocks of four vectors, single vectors and a tail.
    const [m, n, from] = [70, 37, 8];
    const runs = (await bothBuilds()).map((build) => {
      const { memory } = build;
      const k = build[dtype];
      const { base, bytes, view } = heapOf(build, dtype);
      // dy, y, dz (all columns) and dz' (columns from…, as a part of a split call computes them), then db and db'.
      const mat = (i: number) => base + i * m * n * bytes;
      const vec = (i: number) => mat(4) + i * n * bytes;
      view.set(randomValues(m * n, 8), mat(0) / bytes);
      view.set(randomValues(m * n, 9).map(Math.tanh), mat(1) / bytes);
      const snapshots: number[][] = [];
      for (const code of [Activation.RELU, Activation.TANH]) {
        k.activation_backward(code, mat(0), mat(1), mat(2), vec(0), m, n, n, 0);
        const at = from * bytes;
        k.activation_backward(code, mat(0) + at, mat(1) + at, mat(3) + at, vec(1) + at, m, n - from, n, 0);
        const read = (p: number, count: number) => Array.from(view.subarray(p / bytes, p / bytes + count));
        const dz = read(mat(2), m * n);
        const dzPart = read(mat(3), m * n);
        for (let i = 0; i < m; i++) {
          for (let j = from; j < n; j++) expect(Object.is(dzPart[i * n + j], dz[i * n + j]), `dz[${i}][${j}]`).toBe(true);
        }
        const db = read(vec(0), n);
        expect(read(vec(1) + at, n - from).map((v, j) => Object.is(v, db[from + j])).every(Boolean), 'db').toBe(true);
        snapshots.push(Array.from(new Uint8Array(memory.buffer, base, (4 * m * n + 2 * n) * bytes)));
      }
      return snapshots;
    });
    expect(runs[0]).toEqual(runs[1]);
  });
});
