import { beforeAll, expect, test } from 'vitest';
import {
  add, customGrad, exp, init, matmul, memory, mul, NnkitError, relu, scope, sigmoid, sub, sum, tanh, tensor, type Tensor, vjp,
} from '../index';

beforeAll(() => init());

const values = (t: Tensor) => Array.from(t.toArray());

test('a matmul with an incoming dy: dW = xᵀ·dy, dx = dy·Wᵀ (by hand)', () => {
  scope(() => {
    const x = tensor([1, 2, 3, 4], [2, 2], 'float64');
    const w = tensor([1, -1, 0.5, 2, 0, 3], [2, 3], 'float64');
    const dy = tensor([1, 0, 2, -1, 1, 0], [2, 3], 'float64');
    const r = vjp((p: { x: Tensor; w: Tensor }) => matmul(p.x, p.w), { x, w });
    expect(values(r.value)).toEqual([5, -1, 6.5, 11, -3, 13.5]);
    const g = r.backward(dy);
    // xᵀ·dy = [[1·1 + 3·−1, 1·0 + 3·1, 1·2 + 3·0], [2·1 + 4·−1, 2·0 + 4·1, 2·2 + 4·0]]
    expect(values(g.w)).toEqual([-2, 3, 2, -2, 4, 4]);
    // dy·Wᵀ = [[1·1 + 0·−1 + 2·0.5, 1·2 + 0 + 2·3], [−1·1 + 1·−1 + 0, −1·2 + 0 + 0]]
    expect(values(g.x)).toEqual([2, 8, -2, -2]);
    r.dispose();
  });
});

test('backward may be called again with another dy; fan-out and an unused argument (zeros)', () => {
  scope(() => {
    const a = tensor([0.5, -1, 2], [3], 'float64');
    const b = tensor([3, 4], [2], 'float64');
    // f(a) = a·a + tanh(a): df/da = 2a + 1 − tanh²(a); b is unused.
    const r = vjp((p: [Tensor, Tensor]) => add(mul(p[0], p[0]), tanh(p[0])), [a, b]);
    const dy1 = tensor([1, 1, 1], [3], 'float64');
    const dy2 = tensor([2, 0, -1], [3], 'float64');
    const [ga1, gb] = r.backward(dy1);
    const [ga2] = r.backward(dy2);
    const expected = [0.5, -1, 2].map((v) => 2 * v + 1 - Math.tanh(v) ** 2);
    values(ga1).forEach((g, i) => {
      expect(g).toBeCloseTo(expected[i], 14);
    });
    values(ga2).forEach((g, i) => {
      expect(g).toBeCloseTo(expected[i] * [2, 0, -1][i], 14);
    });
    expect(values(gb)).toEqual([0, 0]);
    r.dispose();
  });
});

test('only the results stay alive: forward, backward and dispose leak nothing', () => {
  const x = tensor([1, -2, 3, 0.5, 2, -1], [2, 3], 'float64');
  const w = tensor([0.1, 0.2, 0.3, -0.4, 0.5, 0.6], [3, 2], 'float64');
  const dy = tensor([1, 2, 3, 4], [2, 2], 'float64');
  const before = memory();
  for (let i = 0; i < 5; i++) {
    const r = vjp((p: { w: Tensor }) => sigmoid(add(relu(matmul(x, p.w)), exp(sub(x.rows(0, 1).reshape([3, 1]), 1)).reshape([1, 3]).rows(0, 1).reshape([3]).rows(0, 2))), { w });
    // value, then the one gradient: two tensors the caller owns.
    const g = r.backward(dy);
    r.dispose();
    expect(memory().tensors).toBe(before.tensors + 2);
    r.value.dispose();
    g.w.dispose();
    expect(memory()).toEqual(before);
  }
  for (const t of [x, w, dy]) t.dispose();
});

test('the gradient of sigmoid(x·w) against the formula, and value stays valid after dispose', () => {
  const x = tensor([0.3, -0.7], [1, 2], 'float64');
  const w = tensor([1.5, -2], [2, 1], 'float64');
  const r = vjp((w: Tensor) => sigmoid(matmul(x, w)), w);
  const z = 0.3 * 1.5 + -0.7 * -2;
  const s = 1 / (1 + Math.exp(-z));
  const g = r.backward(tensor([3], [1, 1], 'float64'));
  r.dispose();
  expect(r.value.toArray()[0]).toBeCloseTo(s, 15);
  expect(values(g)[0]).toBeCloseTo(3 * s * (1 - s) * 0.3, 15);
  expect(values(g)[1]).toBeCloseTo(3 * s * (1 - s) * -0.7, 15);
});

test('a customGrad rule is used as given (a deliberately wrong one too)', () => {
  scope(() => {
    const double = customGrad((x: Tensor) => ({ value: mul(x, 2), gradFunc: (dy) => [mul(dy, 3)] }));
    const x = tensor([1, 2], [2], 'float64');
    const r = vjp((x: Tensor) => double(x), x);
    expect(values(r.backward(tensor([1, 1], [2], 'float64')))).toEqual([3, 3]);
  });
});

test('bad input: dy of another shape, backward after dispose, a non-Tensor result, nested in grad', () => {
  scope(() => {
    const x = tensor([1, 2], [2], 'float64');
    const r = vjp((x: Tensor) => mul(x, x), x);
    expect(() => r.backward(tensor([1, 2, 3], [3], 'float64'))).toThrow(/dy has shape \[3\] float64; f returned \[2\] float64/);
    expect(() => r.backward(tensor([1, 2], [2], 'float32'))).toThrow(NnkitError);
    r.dispose();
    expect(() => r.backward(tensor([1, 2], [2], 'float64'))).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
    expect(() => vjp(() => 3 as unknown as Tensor, x)).toThrow(/the result of f must be a Tensor, got the number 3|must be a Tensor/);
    expect(() => vjp(5 as unknown as (x: Tensor) => Tensor, x)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => vjp((x: Tensor) => x, 'x' as unknown as Tensor)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

test('f returning its argument: value is a copy, d x = dy', () => {
  scope(() => {
    const x = tensor([1, 2], [2], 'float64');
    const r = vjp((x: Tensor) => x, x);
    expect(r.value).not.toBe(x);
    const dy = tensor([5, 6], [2], 'float64');
    const g = r.backward(dy);
    expect(g).not.toBe(dy);
    expect(values(g)).toEqual([5, 6]);
    r.dispose();
    expect(values(x)).toEqual([1, 2]);
    expect(sum(r.value).toArray()[0]).toBe(3);
  });
});

test('a customGrad rule may read another tensor its function made: it lives until dispose()', () => {
  scope(() => {
    const before = memory();
    const square = customGrad((x: Tensor) => {
      const twice = mul(x, 2); // made inside, read only by the rule: no tape entry refers to it
      return { value: mul(x, x), gradFunc: (dy) => [mul(dy, twice)] };
    });
    const x = tensor([1, 2], [2], 'float64');
    const r = vjp((x: Tensor) => square(x), x);
    // d(x²)/dx = 2x, times dy = [1, 3]; twice for two calls.
    expect(values(r.backward(tensor([1, 3], [2], 'float64')))).toEqual([2, 12]);
    expect(values(r.backward(tensor([1, 1], [2], 'float64')))).toEqual([2, 4]);
    r.dispose();
    r.value.dispose();
    // Only x and the test's own dy and gradients are left: the rule's tensor went with dispose().
    expect(memory().tensors - before.tensors).toBe(5);
  });
});
