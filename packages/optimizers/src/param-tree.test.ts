// step(params, grads) with two structures of Tensors (the JAX/Optax form), and dispose().
import { init, memory, NnkitError, type Tensor, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { adam } from './adam';
import { momentum } from './momentum';
import { sgd } from './sgd';

beforeAll(async () => {
  await init();
});

function values(t: Tensor): number[] {
  return Array.from(t.toArray());
}

function model() {
  return {
    dense_1: { kernel: tensor([1, 2, 3, 4], [2, 2], 'float64'), bias: tensor([0.5, -0.5], [2], 'float64') },
    extra: [tensor([10], [1], 'float64')],
  };
}

function gradsOf() {
  return {
    dense_1: { kernel: tensor([1, -1, 2, 0], [2, 2], 'float64'), bias: tensor([4, 8], [2], 'float64') },
    extra: [tensor([-2], [1], 'float64')],
  };
}

describe('step(params, grads) with structures', () => {
  test('updates every leaf of nested objects and arrays: sgd w −= lr·g by hand', () => {
    const params = model();
    const opt = sgd({ learningRate: 0.5 });
    opt.step(params, gradsOf());
    expect(values(params.dense_1.kernel)).toEqual([0.5, 2.5, 2, 4]);
    expect(values(params.dense_1.bias)).toEqual([-1.5, -4.5]);
    expect(values(params.extra[0])).toEqual([11]);
    expect(opt.iterations).toBe(1);
  });

  test('a bare Tensor with its gradient, and an array of Tensors', () => {
    const w = tensor([1, 2], [2]);
    sgd({ learningRate: 0.25 }).step(w, tensor([4, -4], [2]));
    expect(values(w)).toEqual([0, 3]);
    const ws = [tensor([1], [1]), tensor([2], [1])];
    sgd({ learningRate: 1 }).step(ws, [tensor([0.5], [1]), tensor([-1], [1])]);
    expect(ws.map(values)).toEqual([[0.5], [3]]);
  });

  test('state is kept per value tensor: heavy-ball momentum over two steps, v = βv + g by hand', () => {
    const w = tensor([0], [1], 'float64');
    const opt = momentum({ learningRate: 0.1, beta: 0.5, form: 'heavyBall' });
    opt.step({ w }, { w: tensor([1], [1], 'float64') }); // v = 1, w = −0.1
    opt.step([{ value: w, grad: tensor([1], [1], 'float64') }]); // the same tensor in the list form: v = 1.5, w = −0.25
    expect(values(w)[0]).toBeCloseTo(-0.25, 15);
    expect(opt.getState().slots).toHaveLength(1);
  });

  test('leaves are named by their path in the saved state, keys as they are', () => {
    const params = model();
    const opt = adam();
    opt.step(params, gradsOf());
    expect(opt.getState().slots.map((s) => s.name)).toEqual(['dense_1.kernel', 'dense_1.bias', 'extra[0]']);
    opt.dispose();
    // Keys named as model.parameters() names them keep that name, so a saved state binds by name.
    const flat = { 'dense_1/kernel': tensor([1], [1]) };
    const other = adam();
    other.step(flat, { 'dense_1/kernel': tensor([1], [1]) });
    expect(other.getState().slots.map((s) => s.name)).toEqual(['dense_1/kernel']);
    expect(() => other.step(flat, { 'dense_1/kernel': tensor([1, 2], [2]) })).toThrow(
      'adam.step(): grads["dense_1/kernel"] has shape [2]; expected [1] like params["dense_1/kernel"]',
    );
    other.dispose();
  });
});

describe('with the other features of step', () => {
  test('a NaN in one gradient names its path and updates nothing', () => {
    const params = model();
    const grads = gradsOf();
    grads.dense_1.bias.assign([4, Number.NaN]);
    const before = values(params.dense_1.kernel);
    expect(() => adam().step(params, grads)).toThrow(expect.objectContaining({ code: 'NON_FINITE', message: expect.stringContaining('parameter 1 ("dense_1.bias") has 1 non-finite entry') }));
    expect(values(params.dense_1.kernel)).toEqual(before);
  });

  test('a state saved from a structure run resumes bit for bit in a new optimizer', () => {
    const straight = model();
    const resumed = model();
    const a = adam({ learningRate: 0.1 });
    for (let i = 0; i < 4; i++) a.step(straight, gradsOf());
    const b = adam({ learningRate: 0.1 });
    for (let i = 0; i < 2; i++) b.step(resumed, gradsOf());
    const c = adam({ learningRate: 0.1 });
    c.setState(b.getState());
    for (let i = 0; i < 2; i++) c.step(resumed, gradsOf());
    expect(c.iterations).toBe(4);
    expect(values(resumed.dense_1.kernel)).toEqual(values(straight.dense_1.kernel));
    expect(values(resumed.extra[0])).toEqual(values(straight.extra[0]));
    for (const o of [a, b, c]) o.dispose();
  });
});

describe('mismatched structures throw before anything changes, naming the path and both shapes', () => {
  test.each([
    ['a shape', (g: ReturnType<typeof gradsOf>) => ({ ...g, dense_1: { ...g.dense_1, kernel: tensor([1, 2, 3], [3, 1], 'float64') } }),
      'SHAPE_MISMATCH', 'adam.step(): grads.dense_1.kernel has shape [3, 1]; expected [2, 2] like params.dense_1.kernel'],
    ['a dtype', (g: ReturnType<typeof gradsOf>) => ({ ...g, dense_1: { ...g.dense_1, bias: tensor([4, 8], [2], 'float32') } }),
      'DTYPE_MISMATCH', 'adam.step(): grads.dense_1.bias is float32; expected float64 like params.dense_1.bias'],
    ['a missing key', (g: ReturnType<typeof gradsOf>) => ({ extra: g.extra, dense_1: { kernel: g.dense_1.kernel } }),
      'SHAPE_MISMATCH', 'adam.step(): grads.dense_1.bias is missing; expected a Tensor of shape [2] like params.dense_1.bias'],
    ['an extra key', (g: ReturnType<typeof gradsOf>) => ({ ...g, dense_2: g.extra[0] }),
      'SHAPE_MISMATCH', 'adam.step(): grads.dense_2 is not in params (params has keys dense_1, extra)'],
    ['an array length', (g: ReturnType<typeof gradsOf>) => ({ ...g, extra: [] }),
      'SHAPE_MISMATCH', 'adam.step(): grads.extra has 0 entries; expected 1 like params.extra'],
    ['a Tensor for an object', (g: ReturnType<typeof gradsOf>) => ({ ...g, dense_1: g.extra[0] }),
      'SHAPE_MISMATCH', 'adam.step(): grads.dense_1 is a Tensor of shape [1]; expected an object with keys kernel, bias like params.dense_1'],
    ['a number for a Tensor', (g: ReturnType<typeof gradsOf>) => ({ ...g, extra: [0] }),
      'SHAPE_MISMATCH', 'adam.step(): grads.extra[0] is 0; expected a Tensor of shape [1] like params.extra[0]'],
  ])('%s', (_, change, code, message) => {
    const params = model();
    const before = [params.dense_1.kernel, params.dense_1.bias, params.extra[0]].map(values);
    const opt = adam();
    const grads = change(gradsOf()) as never;
    expect(() => opt.step(params, grads)).toThrow(expect.objectContaining({ code, message: expect.stringContaining(message) }));
    expect([params.dense_1.kernel, params.dense_1.bias, params.extra[0]].map(values)).toEqual(before);
    expect(opt.iterations).toBe(0);
  });

  test('a disposed leaf is named by its path', () => {
    const params = model();
    const grads = gradsOf();
    grads.extra[0].dispose();
    expect(() => sgd({ learningRate: 1 }).step(params, grads)).toThrow(/sgd\.step\(\): grads\.extra\[0\] \(tensor #\d+, \[1\]\) was disposed/);
  });

  test('params that are not Tensors, and a structure without grads', () => {
    const opt = sgd({ learningRate: 1 });
    expect(() => opt.step({ w: 'x' } as never, { w: 'x' } as never)).toThrow(/params\.w must be a Tensor, or an array or plain object of Tensors, got 'x' \(a string\)/);
    const params = model();
    expect(() => opt.step(params as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/no grads; pass grads of the same structure/) }));
    expect(() => opt.step([params.extra[0]] as never)).toThrow(/no grads/);
    expect(() => opt.step({ value: params.extra[0], grad: params.extra[0] } as never)).toThrow(/params must be an array of \{ value, grad \}, got object/);
  });
});

describe('dispose()', () => {
  test('frees the state, is idempotent, and a disposed optimizer refuses to step', () => {
    const params = model();
    const grads = gradsOf();
    const before = memory().tensors;
    const opt = adam();
    opt.step(params, grads);
    expect(memory().tensors).toBe(before + 6); // two moments for each of three parameters
    opt.dispose();
    expect(memory().tensors).toBe(before);
    opt.dispose();
    expect(memory().tensors).toBe(before);
    const kernel = values(params.dense_1.kernel);
    expect(() => opt.step(params, grads)).toThrow(expect.objectContaining({ code: 'DISPOSED', message: expect.stringMatching(/adam\.step\(\): this adam optimizer was disposed/) }));
    expect(() => opt.step([{ value: params.extra[0], grad: grads.extra[0] }])).toThrow(NnkitError);
    expect(() => opt.getState()).toThrow(/adam\.getState\(\): this adam optimizer was disposed/);
    expect(values(params.dense_1.kernel)).toEqual(kernel);
    expect(memory().tensors).toBe(before);
  });
});
