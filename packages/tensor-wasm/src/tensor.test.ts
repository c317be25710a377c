import { beforeAll, describe, expect, test } from 'vitest';
import {
  add, backendInfo, full, init, keep, matmul, memory, NnkitError, ones, randn, relu, scope, sum, type Tensor, tensor, unscoped, zeros,
} from './index';

beforeAll(() => init());

describe('creating and reading tensors', () => {
  test('row-major values, shapes, dtypes', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], [2, 3], 'float64');
    expect(t.shape).toEqual([2, 3]);
    expect(t.size).toBe(6);
    expect(t.dtype).toBe('float64');
    expect(t.toArray()).toBeInstanceOf(Float64Array);
    expect(t.toNested()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(Array.from(full([2], 2.5).toArray())).toEqual([2.5, 2.5]);
    expect(Array.from(ones([3]).toArray())).toEqual([1, 1, 1]);
    expect(tensor([7], []).item()).toBe(7);
  });
  test('toArray is a copy; assign writes in place', () => {
    const t = zeros([2]);
    const a = t.toArray();
    a[0] = 5;
    expect(t.toArray()[0]).toBe(0);
    t.assign([3, 4]);
    expect(Array.from(t.toArray())).toEqual([3, 4]);
  });
  test('reshape and rows are views of the same memory', () => {
    const t = tensor([0, 1, 2, 3, 4, 5], [3, 2]);
    const r = t.rows(1, 3);
    expect(r.shape).toEqual([2, 2]);
    expect(Array.from(r.toArray())).toEqual([2, 3, 4, 5]);
    r.assign([9, 9, 9, 9]);
    expect(Array.from(t.reshape([6]).toArray())).toEqual([0, 1, 9, 9, 9, 9]);
    t.dispose();
    expect(r.isDisposed).toBe(true);
    expect(() => r.toArray()).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
  });
});

describe('bad input gets NnkitError with a code and both values', () => {
  test.each([
    [() => tensor([1, 2, 3], [2, 2]), 'SHAPE_MISMATCH', /3 values do not fill shape \[2, 2\], which holds 4/],
    [() => zeros([2, -1]), 'INVALID_SHAPE', /dimension -1/],
    [() => zeros([2.5]), 'INVALID_SHAPE', /dimension 2.5/],
    [() => zeros([2], 'int32' as never), 'UNKNOWN_DTYPE', /unknown dtype "int32"; expected 'float32' or 'float64'/],
    [() => zeros([65536, 65536]), 'OUT_OF_MEMORY', /4294967296 elements/],
    [() => tensor([1, 2], [2]).reshape([3]), 'SHAPE_MISMATCH', /cannot view \[2\] \(2 elements\) as \[3\]/],
    [() => tensor([1, 2], [2]).rows(1, 3), 'INVALID_ARGUMENT', /rows\(1, 3\)/],
    [() => randn([2], { std: -1 }), 'INVALID_ARGUMENT', /std -1/],
    [() => tensor([1, 2], [2]).item(), 'INVALID_SHAPE', /has 2 elements; expected 1/],
    [() => tensor(['a', 'b'] as never, [2]), 'INVALID_ARGUMENT', /tensor\(\): values\[0\] is 'a' \(a string\); expected a number/],
    [() => tensor([1, 2, '3'] as never), 'INVALID_ARGUMENT', /values\[2\] is '3' \(a string\); expected a number.*Number\(/],
    [() => tensor([1, undefined, 3] as never), 'INVALID_ARGUMENT', /values\[1\] is undefined; expected a number/],
    [() => tensor([[1, 2], [3, 4]] as never, [2, 2]), 'INVALID_ARGUMENT', /values\[0\] is an array of 2 items; expected a number.*flat/],
    [() => zeros([2]).assign([1, null] as never), 'INVALID_ARGUMENT', /assign\(\): values\[1\] is null; expected a number/],
  ])('%#', (fn, code, message) => {
    let error: unknown;
    try {
      fn();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NnkitError);
    expect((error as NnkitError).code).toBe(code);
    expect((error as NnkitError).message).toMatch(message);
  });

  test('use after dispose names the tensor', () => {
    const t = zeros([2, 2]);
    t.dispose();
    t.dispose(); // twice is harmless
    expect(() => add(t, t)).toThrow(/tensor #\d+ of shape \[2, 2\]\) was used after dispose\(\)/);
  });
});

describe('memory', () => {
  test('memory() counts live tensors and their bytes', () => {
    const before = memory();
    const a = zeros([10, 10]);
    const b = zeros([3], 'float64');
    expect(memory()).toEqual({ tensors: before.tensors + 2, bytes: before.bytes + 400 + 24 });
    a.dispose();
    b.dispose();
    expect(memory()).toEqual(before);
  });

  test('1,000 scoped ops leak nothing, and the WebAssembly memory stops growing', () => {
    const x = randn([64, 32], { seed: 1 });
    const w = randn([32, 16], { seed: 2 });
    const run = () =>
      scope(() => {
        const y = relu(matmul(x, w));
        return sum(y).item();
      });
    run();
    const before = memory();
    const wasmBefore = backendInfo().memoryBytes;
    for (let i = 0; i < 1000; i++) run();
    expect(memory()).toEqual(before);
    expect(backendInfo().memoryBytes).toBe(wasmBefore);
  });

  test('scope keeps returned tensors (and what views need), disposes the rest, nests', () => {
    const before = memory();
    let inner: Tensor | undefined;
    const { kept, view } = scope(() => {
      const a = ones([4]);
      inner = scope(() => add(a, a));
      const hidden = ones([8]);
      return { kept: inner, view: hidden.reshape([2, 4]) };
    });
    expect(kept.isDisposed).toBe(false);
    expect(Array.from(kept.toArray())).toEqual([2, 2, 2, 2]);
    expect(view.toNested()).toEqual([[1, 1, 1, 1], [1, 1, 1, 1]]);
    expect(memory().tensors).toBe(before.tensors + 2);
    kept.dispose();
    view.dispose();
    expect(memory().tensors).toBe(before.tensors + 1); // the viewed tensor is the caller's to dispose
  });

  test('keep() lets a tensor outlive its scope; a throwing scope still cleans up', () => {
    const before = memory();
    let kept: Tensor | undefined;
    scope(() => {
      kept = keep(ones([2]));
      ones([3]);
    });
    expect(kept?.isDisposed).toBe(false);
    kept?.dispose();
    expect(() =>
      scope(() => {
        ones([5]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(memory()).toEqual(before);
  });

  test('scope refuses async functions', () => {
    expect(() => scope(async () => 1)).toThrow(/synchronous functions only/);
  });

  test('Symbol.dispose frees the tensor', () => {
    const before = memory();
    const t = ones([3]);
    const dispose = (t as unknown as Record<symbol, () => void>)[(Symbol as { dispose?: symbol }).dispose ?? Symbol.for('Symbol.dispose')];
    dispose.call(t);
    expect(t.isDisposed).toBe(true);
    expect(memory()).toEqual(before);
  });
});

describe('unscoped', () => {
  test('tensors created inside unscoped() survive the enclosing scope; the rest is still freed', () => {
    const before = memory();
    let persistent: Tensor | undefined;
    scope(() => {
      persistent = unscoped(() => ones([3]));
      ones([4]); // freed by the scope
    });
    expect(persistent?.isDisposed).toBe(false);
    expect(memory().tensors).toBe(before.tensors + 1);
    persistent?.dispose();
    expect(memory()).toEqual(before);
  });
});
