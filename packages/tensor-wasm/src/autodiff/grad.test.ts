import { beforeAll, describe, expect, test } from 'vitest';
import {
  abs, activationBackward, add, denseForward, batchNormBackward, cast, clone, customGrad, type DType, fill, reluGrad, sumAbs, sumSquares, gatherRows, grad, grads, init, matmul, max, maximum, memory, min, mul, NnkitError, relu,
  scope, sigmoidCrossEntropyLoss, sigmoidCrossEntropyWithLogits, softmaxCrossEntropyLoss, softmaxCrossEntropyWithLogits, square, stopGradient, sub, sum, tensor, type Tensor, valueAndGrad,
  valueAndGrads,
} from '../index';

beforeAll(() => init());

const values = (t: Tensor) => Array.from(t.toArray());

describe.each(['float32', 'float64'] as DType[])('%s: hand-computed gradients', (dtype) => {
  test('d/dx sum(x²) = 2x', () => {
    const x = tensor([1, -2, 3.5, 0], [2, 2], dtype);
    const g = grad((x: Tensor) => sum(square(x)))(x);
    expect(g.shape).toEqual([2, 2]);
    expect(g.dtype).toBe(dtype);
    expect(values(g)).toEqual([2, -4, 7, 0]);
    g.dispose();
    x.dispose();
  });

  test('fan-out accumulates: d/dx sum(x⊙x + x) = 2x + 1', () => {
    scope(() => {
      const x = tensor([1, 2, 3], [3], dtype);
      expect(values(grad((x: Tensor) => sum(add(mul(x, x), x)))(x))).toEqual([3, 5, 7]);
    });
  });

  test('max/min split the gradient equally among tied elements, per axis and over all', () => {
    scope(() => {
      const t = () => tensor([1, 3, 3, 2, 2, 0], [2, 3], 'float64');
      expect(values(grad((u: Tensor) => max(u))(t()))).toEqual([0, 0.5, 0.5, 0, 0, 0]);
      expect(values(grad((u: Tensor) => sum(max(u, 1)))(t()))).toEqual([0, 0.5, 0.5, 0.5, 0.5, 0]);
      expect(values(grad((u: Tensor) => sum(min(u, 0, { keepDims: true })))(t()))).toEqual([1, 0, 0, 0, 1, 1]);
      // min over the second row: 2, 2, 0 → only the 0 gets it.
      expect(values(grad((u: Tensor) => sum(min(u, -1)))(t()))).toEqual([1, 0, 0, 0, 0, 1]);
    });
  });

  test('rows(): the gradient is zero outside the slice; overlapping slices add up', () => {
    scope(() => {
      const t = () => tensor([1, 2, 3, 4, 5, 6], [3, 2], 'float64');
      expect(values(grad((u: Tensor) => sum(square(u.rows(1, 3))))(t()))).toEqual([0, 0, 6, 8, 10, 12]);
      // rows 0..2 and 1..3: the middle row gets both paths.
      expect(values(grad((u: Tensor) => add(sum(u.rows(0, 2)), sum(u.rows(1, 3))))(t()))).toEqual([1, 1, 2, 2, 1, 1]);
      expect(values(grad((u: Tensor) => add(sum(u.rows(1, 1)), sum(u)))(t()))).toEqual([1, 1, 1, 1, 1, 1]);
    });
  });

  test('gatherRows(): a scatter-add backward, repeated ids add up, unpicked rows get zeros', () => {
    scope(() => {
      const t = () => tensor([1, 2, 3, 4, 5, 6], [3, 2], 'float64');
      const ids = [2, 0, 2, 2];
      const w = tensor([1, 10, 100, 1000, 2, 20, 3, 30], [4, 2], 'float64');
      const g = grad((u: Tensor) => sum(mul(gatherRows(u, ids), w)))(t());
      ids.fill(1); // changing the index array after the call does not matter
      // row 0 gets w[1]; row 1 nothing; row 2 gets w[0] + w[2] + w[3].
      expect(values(g)).toEqual([100, 1000, 0, 0, 6, 60]);
      const g32 = grad((u: Tensor) => sum(mul(gatherRows(u, [2, 0, 2, 2]), cast(w, 'float32'))))(cast(t(), 'float32'));
      expect(values(g32)).toEqual([100, 1000, 0, 0, 6, 60]);
    });
  });

  test('kinks and ties: relu\'(0) = 0, |x|\'(0) = 0, maximum splits a tie equally', () => {
    scope(() => {
      const x = tensor([-1, 0, 2], [3], dtype);
      expect(values(grad((x: Tensor) => sum(relu(x)))(x))).toEqual([0, 0, 1]);
      expect(values(grad((x: Tensor) => sum(abs(x)))(x))).toEqual([-1, 0, 1]);
      const [ga, gb] = grads((a, b) => sum(maximum(a, b)))([x, tensor([0, 0, 0], [3], dtype)]);
      expect(values(ga)).toEqual([0, 0.5, 1]);
      expect(values(gb)).toEqual([1, 0.5, 0]);
    });
  });
});

describe.each(['float32', 'float64'] as DType[])('%s: the fused ops, by hand', (dtype) => {
  test('softmaxCrossEntropyLoss: log 2 for equal logits, gradient (softmax − y)/m from the kernel', () => {
    scope(() => {
      const z = tensor([0, 0, 1, 1], [2, 2], dtype);
      const { value, grad: g } = valueAndGrad((t: Tensor) => softmaxCrossEntropyLoss(t, [0, 1]))(z);
      expect(value.shape).toEqual([]);
      expect(value.item()).toBeCloseTo(Math.log(2), dtype === 'float32' ? 6 : 14);
      expect(values(g)).toEqual([-0.25, 0.25, 0.25, -0.25]);
      // With a one-hot Tensor and dy = 3 (a weighted loss): three times as much.
      const y = tensor([1, 0, 0, 1], [2, 2], dtype);
      expect(values(grad((t: Tensor) => mul(softmaxCrossEntropyLoss(t, y), 3))(z))).toEqual([-0.75, 0.75, 0.75, -0.75]);
    });
  });

  test('sigmoidCrossEntropyLoss: log 2 at z = 0, gradient (σ(z) − t)/n; d/d targets = −z/n', () => {
    scope(() => {
      const z = tensor([0, 0, 2, -2], [4], dtype);
      const t = tensor([1, 0, 0.5, 0.5], [4], dtype);
      const { value, grads: [gz, gt] } = valueAndGrads((a, b) => sigmoidCrossEntropyLoss(a, b))([z, t]);
      // Elements: log 2, log 2, and for z = ±2, t = ½: log(1 + e²) − 1 each.
      const want = (2 * Math.log(2) + 2 * (Math.log(1 + Math.exp(2)) - 1)) / 4;
      expect(value.item()).toBeCloseTo(want, dtype === 'float32' ? 6 : 14);
      const s = 1 / (1 + Math.exp(-2));
      const tol = dtype === 'float32' ? 1e-7 : 1e-15;
      const wantGz = [-0.125, 0.125, (s - 0.5) / 4, (1 - s - 0.5) / 4];
      for (const [i, v] of values(gz).entries()) expect(Math.abs(v - wantGz[i])).toBeLessThan(tol);
      expect(values(gt)).toEqual([-0, -0, -0.5, 0.5]);
    });
  });

  test('denseForward: relu\'(0) = 0 at the kink, db sums the rows', () => {
    scope(() => {
      // x·w + b = [[1, 0], [-1, 2]] → relu kills the 0 and the −1.
      const x = tensor([1, 0, 0, 1], [2, 2], dtype);
      const w = tensor([1, 0, -1, 2], [2, 2], dtype);
      const b = tensor([0, 0], [2], dtype);
      const [gx, gw, gb] = grads((x, w, b) => sum(denseForward(x, w, b, { activation: 'relu' })))([x, w, b]);
      expect(values(gb)).toEqual([1, 1]);
      expect(values(gw)).toEqual([1, 0, 0, 1]); // xᵀ·dz with dz = [[1, 0], [0, 1]]
      expect(values(gx)).toEqual([1, -1, 0, 2]); // dz·wᵀ
    });
  });
});

describe('API forms', () => {
  test('a params object or array gets a gradient of the same structure', () => {
    scope(() => {
      const params = { w: tensor([1, 2], [2, 1], 'float64'), layers: [tensor([3], [1], 'float64')] };
      const x = tensor([1, 1, 2, 2], [2, 2], 'float64');
      // loss = sum(x·w) ⋅ b  ⇒  d/dw = b ⋅ colsum(x) = 3·[3, 3], d/db = sum(x·w) = 3 + 6
      const { value, grad: g } = valueAndGrad((p: typeof params) => mul(sum(matmul(x, p.w)), p.layers[0]))(params);
      expect(value.item()).toBe(27);
      expect(values(g.w)).toEqual([9, 9]);
      expect(g.layers).toHaveLength(1);
      expect(values(g.layers[0])).toEqual([9]);
    });
  });

  test('dy: the gradient of a non-scalar result weighted by dy', () => {
    scope(() => {
      const x = tensor([1, 2, 3], [3], 'float64');
      const dy = tensor([1, 10, 100], [3], 'float64');
      expect(values(grad((x: Tensor) => square(x))(x, dy))).toEqual([2, 40, 600]);
      const { value, grads: gs } = valueAndGrads((a, b) => mul(a, b))([x, x], dy);
      expect(values(value)).toEqual([1, 4, 9]);
      expect(values(gs[0])).toEqual([1, 20, 300]);
    });
  });

  test('an argument the result does not depend on gets zeros (as in JAX)', () => {
    scope(() => {
      const a = tensor([1, 2], [2], 'float64');
      const b = tensor([5, 6, 7], [3], 'float64');
      const [ga, gb] = grads((a) => sum(a))([a, b]);
      expect(values(ga)).toEqual([1, 1]);
      expect(values(gb)).toEqual([0, 0, 0]);
    });
  });

  test('f returning its argument: the gradient is ones', () => {
    scope(() => {
      const x = tensor([4], [], 'float64');
      const { value, grad: g } = valueAndGrad((t: Tensor) => t)(x);
      expect(value).not.toBe(x);
      expect([value.item(), g.item()]).toEqual([4, 1]);
    });
  });

  test('clone and cast pass the gradient through (cast back to the argument\'s dtype)', () => {
    scope(() => {
      const x = tensor([1, 2], [2], 'float32');
      const g = grad((t: Tensor) => sum(mul(cast(t, 'float64'), clone(tensor([3, 4], [2], 'float64')))))(x);
      expect(g.dtype).toBe('float32');
      expect(values(g)).toEqual([3, 4]);
      expect(values(grad((t: Tensor) => sum(square(clone(t))))(x))).toEqual([2, 4]);
    });
  });

  test('stopGradient: no gradient flows through it', () => {
    scope(() => {
      const x = tensor([1, 2, 3], [3], 'float64');
      expect(values(grad((x: Tensor) => sum(mul(x, stopGradient(x))))(x))).toEqual([1, 2, 3]);
    });
  });

  test('customGrad: its gradFunc gives the gradient, the ops inside are not recorded', () => {
    scope(() => {
      // value x², but a made-up rule d/dx = 3·dy, to tell the two apart.
      const f = customGrad((x: Tensor) => ({ value: square(x), gradFunc: (dy) => [mul(dy, 3)] }));
      const x = tensor([1, 2], [2], 'float64');
      const { value, grad: g } = valueAndGrad((x: Tensor) => sum(f(x)))(x);
      expect(value.item()).toBe(5);
      expect(values(g)).toEqual([3, 3]);
      // Two inputs, and the identity returned as value.
      const id2 = customGrad((a: Tensor, _b: Tensor) => ({ value: a, gradFunc: (dy) => [dy, mul(dy, 2)] }));
      const [ga, gb] = grads((a, b) => sum(id2(a, b)))([x, x]);
      expect(values(ga)).toEqual([1, 1]);
      expect(values(gb)).toEqual([2, 2]);
    });
  });

  test('fan-out: a summed gradient passed on to two inputs is not changed by their later contributions', () => {
    scope(() => {
      // h = a + b is used twice, so d h = 2w is a sum; add() hands it to both a and b, which each
      // get one more contribution from their first use: d a = 2w + 3, d b = 2w + 5.
      const a = tensor([1, 2], [2], 'float64');
      const b = tensor([3, 4], [2], 'float64');
      const w = tensor([10, 100], [2], 'float64');
      const [ga, gb] = grads((a, b) => {
        const first = add(sum(mul(a, 3)), sum(mul(b, 5)));
        const h = add(a, b);
        return add(first, sum(mul(add(h, h), w)));
      })([a, b]);
      expect(values(ga)).toEqual([23, 203]);
      expect(values(gb)).toEqual([25, 205]);
      // Four uses of x: the third and fourth contributions go into the sum in place: 1 + 2 + 3 + 4.
      const x = tensor([1, -1], [2], 'float64');
      expect(values(grad((x: Tensor) => sum(add(add(x, mul(x, 2)), add(mul(x, 3), mul(x, 4)))))(x))).toEqual([10, 10]);
    });
  });

  test('the results are distinct tensors the caller owns, even when a rule passes dy through', () => {
    scope(() => {
      const a = tensor([1, 2], [2], 'float64');
      const b = tensor([3, 4], [2], 'float64');
      const [ga, gb] = grads((a, b) => sum(add(a, b)))([a, b]); // add() hands the same dy to both
      expect(ga).not.toBe(gb);
      ga.dispose();
      expect(values(gb)).toEqual([1, 1]);
      // The same tensor passed twice is two arguments, each with its own gradient (as in JAX).
      const [g1, g2] = grads((p, q) => sum(mul(p, mul(q, q))))([a, a]);
      expect(values(g1)).toEqual([1, 4]);
      expect(values(g2)).toEqual([2, 8]);
    });
  });
});

describe('memory', () => {
  test('after valueAndGrad only its results are alive', () => {
    const w = tensor([0.5, -1, 2, 0.25, 1, 1], [3, 2], 'float64');
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3], 'float64');
    const before = memory();
    const { value, grad: g } = valueAndGrad((w: Tensor) => sum(square(relu(matmul(x, w)))))(w);
    const after = memory();
    expect(after.tensors).toBe(before.tensors + 2);
    expect(after.bytes).toBe(before.bytes + value.size * 8 + g.size * 8);
    for (const t of [value, g, w, x]) t.dispose();
  });

  test('after grad and grads only the gradients are alive (f(x) is not kept)', () => {
    const w = tensor([0.5, -1, 2, 0.25, 1, 1], [3, 2], 'float64');
    const before = memory();
    const g = grad((w: Tensor) => sum(square(w)))(w);
    expect(memory()).toEqual({ tensors: before.tensors + 1, bytes: before.bytes + g.size * 8 });
    const [ga, gb] = grads((a: Tensor, b: Tensor) => sum(mul(a, b)))([w, g]);
    expect(memory()).toEqual({ tensors: before.tensors + 3, bytes: before.bytes + 3 * g.size * 8 });
    for (const t of [g, ga, gb, w]) t.dispose();
  });

  test('1,000 steps of a custom loop inside scope() keep the live tensors flat', () => {
    const w = tensor([0, 0], [2, 1], 'float64');
    const x = tensor([2, 1, 1, 3], [2, 2], 'float64');
    const y = tensor([4, 7], [2, 1], 'float64'); // x·[1, 2]
    const loss = (w: Tensor) => sum(square(sub(matmul(x, w), y)));
    const before = memory();
    for (let step = 0; step < 1000; step++) {
      scope(() => {
        const g = grad(loss)(w);
        sub(w, mul(g, 0.05), { out: w });
      });
      expect(memory()).toEqual(before);
    }
    expect(Array.from(w.toArray()).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([1, 2]);
    for (const t of [w, x, y]) t.dispose();
  });

  test('a failing f frees what it made and leaves recording off', () => {
    const x = tensor([1, 2], [2], 'float64');
    const before = memory();
    expect(() => grad((x: Tensor) => mul(x, 2))(x)).toThrow(NnkitError);
    expect(memory()).toEqual(before);
    const out = tensor([0, 0], [2], 'float64');
    add(x, 1, { out }); // out: is allowed again outside a gradient
    expect(values(out)).toEqual([2, 3]);
    out.dispose();
    x.dispose();
  });
});

describe('bad input', () => {
  const x = () => tensor([1, 2, 3], [3], 'float64');
  const code = (fn: () => unknown): { code: string; message: string } => {
    try {
      scope(fn);
    } catch (e) {
      expect(e).toBeInstanceOf(NnkitError);
      return { code: (e as NnkitError).code, message: (e as NnkitError).message };
    }
    throw new Error('expected an NnkitError');
  };

  test('a non-scalar result without dy', () => {
    const e = code(() => grad((t: Tensor) => mul(t, 2))(x()));
    expect(e.code).toBe('INVALID_SHAPE');
    expect(e.message).toMatch(/grad\(\): f must return a scalar .*shape \[3\]/);
  });

  test('a non-Tensor argument, inside a params object too', () => {
    expect(code(() => grad((t: Tensor) => sum(t))([1, 2] as unknown as Tensor)).message).toMatch(/grad\(\): x\[0\] must be a Tensor, got 1/);
    const e = code(() => valueAndGrad((p: { w: Tensor }) => sum(p.w))({ w: 'w' as unknown as Tensor }));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/valueAndGrad\(\): x\.w must be a Tensor, got 'w'/);
    expect(code(() => grads((t) => sum(t))(x() as unknown as Tensor[])).code).toBe('INVALID_ARGUMENT');
    expect(code(() => grad((_t: Tensor) => 3 as unknown as Tensor)(x())).message).toMatch(/the result of f must be a Tensor/);
  });

  test('a disposed tensor used inside f', () => {
    const gone = x();
    gone.dispose();
    const e = code(() => grad((t: Tensor) => sum(mul(t, gone)))(x()));
    expect(e.code).toBe('DISPOSED');
    expect(e.message).toMatch(/mul\(\).*shape \[3\]/);
  });

  test('mixed dtypes', () => {
    const e = code(() => grad((t: Tensor) => sum(add(t, tensor([1, 1], [1, 2], 'float32'))))(x()));
    expect(e.code).toBe('DTYPE_MISMATCH');
    expect(e.message).toContain('add(): cannot mix float64 [3] and float32 [1, 2]');
  });

  test('a customGrad whose gradFunc returns the wrong number or shapes of gradients', () => {
    const two = customGrad((a: Tensor, b: Tensor) => ({ value: mul(a, b), gradFunc: (dy) => [dy] }));
    const e1 = code(() => grads((a, b) => sum(two(a, b)))([x(), x()]));
    expect(e1.code).toBe('INVALID_ARGUMENT');
    expect(e1.message).toMatch(/customGrad\(\): gradFunc returned an array of 1 item.*expected 2 Tensors, of shapes \[3\], \[3\]/);
    const bad = customGrad((a: Tensor) => ({ value: mul(a, 2), gradFunc: () => [tensor([1, 2], [2], 'float64')] }));
    const e2 = code(() => grad((a: Tensor) => sum(bad(a)))(x()));
    expect(e2.code).toBe('SHAPE_MISMATCH');
    expect(e2.message).toMatch(/gradient 0 has shape \[2\] float64; its input has \[3\] float64/);
    const cast32 = customGrad((a: Tensor) => ({ value: mul(a, 2), gradFunc: () => [tensor([1, 2, 3], [3], 'float32')] }));
    const e3 = code(() => grad((a: Tensor) => sum(cast32(a)))(x()));
    expect(e3.code).toBe('DTYPE_MISMATCH');
    expect(e3.message).toMatch(/gradient 0 has shape \[3\] float32; its input has \[3\] float64/);
  });

  test('a dy that does not match the result', () => {
    const e = code(() => grad((t: Tensor) => mul(t, 2))(x(), tensor([1, 2], [2], 'float64')));
    expect(e.code).toBe('SHAPE_MISMATCH');
    expect(e.message).toMatch(/grad\(\): dy has shape \[2\] float64; f returned \[3\] float64/);
  });

  test('matmul with accumulate on a recorded operand', () => {
    const e = code(() => grad((t: Tensor) => {
      const out = tensor([0, 0, 0, 0, 0, 0, 0, 0, 0], [3, 3], 'float64');
      return sum(matmul(t.reshape([3, 1]), t.reshape([1, 3]), { out, accumulate: true }));
    })(x()));
    expect(e.message).toMatch(/matmul\(\): accumulate: true is not differentiable/);
  });

  test('a recorded tensor changed in place (out:, assign) while the gradient is taken', () => {
    const e1 = code(() => grad((t: Tensor) => {
      const y = mul(t, 2);
      add(y, 1, { out: y });
      return sum(y);
    })(x()));
    expect(e1.code).toBe('INVALID_ARGUMENT');
    expect(e1.message).toMatch(/add\(\): cannot write in place into tensor #\d+ of shape \[3\]/);
    const e2 = code(() => grad((t: Tensor) => sum(t.assign([0, 0, 0])))(x()));
    expect(e2.message).toMatch(/assign\(\): cannot write in place/);
  });

  test('ops returning numbers, and the hand-written backward passes, refuse instead of dropping the gradient', () => {
    const m = () => tensor([1, 2, 3, 4], [2, 2], 'float64');
    const e = code(() => grad((t: Tensor) => mul(t, softmaxCrossEntropyWithLogits(t, [0, 1])))(m()));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/softmaxCrossEntropyWithLogits\(\): returns a number, .*use softmaxCrossEntropyLoss\(\).*shape \[2, 2\]/);
    const bn = () => ({ dBeta: tensor([0, 0], [2], 'float64'), dGamma: tensor([0, 0], [2], 'float64') });
    const number = 'returns a number';
    const backward = 'is a hand-written backward pass';
    const refused: Array<[string, string, (t: Tensor) => unknown]> = [
      ['sigmoidCrossEntropyWithLogits()', number, (t) => sigmoidCrossEntropyWithLogits(t, m())],
      ['sumSquares()', number, (t) => sumSquares(t)],
      ['sumAbs()', number, (t) => sumAbs(t)],
      ['activationBackward()', backward, (t) => activationBackward(t, m(), { activation: 'relu' })],
      ['reluGrad()', backward, (t) => reluGrad(m(), t)],
      ['batchNormBackward()', backward, (t) => batchNormBackward(t, m(), bn())],
    ];
    for (const [op, why, use] of refused) {
      const err = code(() =>
        grad((t: Tensor) => {
          use(t);
          return sum(t);
        })(m()),
      );
      expect(err.message).toContain(`${op}: ${why}`);
    }
    // A tensor that does not depend on the argument may still go through them: 1 + 4 + 9 + 16 = 30.
    scope(() => expect(values(grad((t: Tensor) => mul(sum(t), sumSquares(m())))(m()))).toEqual([30, 30, 30, 30]));
  });

  test('fill() into a recorded tensor while the gradient is taken', () => {
    expect(code(() => grad((t: Tensor) => sum(fill(mul(t, 2), 0)))(x())).message).toMatch(/fill\(\): cannot write in place/);
  });

  test('grad inside grad is refused (not supported yet)', () => {
    const e = code(() => grad((t: Tensor) => sum(grad((u: Tensor) => sum(square(u)))(t)))(x()));
    expect(e.message).toMatch(/gradients of gradients are not supported yet/);
  });
});
