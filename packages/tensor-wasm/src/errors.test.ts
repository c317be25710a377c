import { describe, expect, test } from 'vitest';
import { NnkitError } from './errors';

// What another copy of an nnkit package does (another version of this one, its CJS build, or
// @nnkit/tuning): its own class, branded with the shared symbol on its prototype.
class OtherCopyError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'NnkitError';
    this.code = code;
  }
}
Object.defineProperty(OtherCopyError.prototype, Symbol.for('nnkit.error'), { value: true });

describe('NnkitError', () => {
  test('holds its code, name and message', () => {
    const e = new NnkitError('SHAPE_MISMATCH', 'add(): shapes [2] and [3] do not broadcast');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(NnkitError);
    expect([e.name, e.code, e.message]).toEqual(['NnkitError', 'SHAPE_MISMATCH', 'add(): shapes [2] and [3] do not broadcast']);
  });

  test('an error of another copy of the class is an NnkitError', () => {
    expect(new OtherCopyError('INVALID_ARGUMENT', 'x') instanceof NnkitError).toBe(true);
  });

  test('a plain Error, an error named NnkitError and non-errors are not', () => {
    const named = new Error('x');
    named.name = 'NnkitError';
    for (const v of [new Error('x'), named, new TypeError('x'), { code: 'INVALID_ARGUMENT' }, null, undefined, 'NnkitError', 3]) {
      expect(v instanceof NnkitError).toBe(false);
    }
  });

  test('the brand is invisible to printing and JSON', () => {
    const e = new NnkitError('DISPOSED', 'gone');
    expect(Object.keys(e).sort()).toEqual(['code', 'name']);
    expect(JSON.stringify(e)).toBe('{"code":"DISPOSED","name":"NnkitError"}');
    expect(Object.getOwnPropertySymbols(e)).toEqual([]);
  });

  test('a subclass keeps the ordinary instanceof test', () => {
    class Special extends NnkitError {}
    expect(new Special('INTERNAL', 'x') instanceof NnkitError).toBe(true);
    expect(new Special('INTERNAL', 'x') instanceof Special).toBe(true);
    expect(new NnkitError('INTERNAL', 'x') instanceof Special).toBe(false);
  });
});
