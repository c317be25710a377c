import { describe, expect, test } from 'vitest';
import { optunaDatetime, PyFloat, parseOptunaDatetime, parsePyJson, pyFloatRepr, pyJson } from './optuna-json';

// References: what CPython 3 prints for repr(float) and json.dumps, run by hand.
describe("Python's JSON as Optuna writes it", () => {
  test('floats are spelled as repr(float) spells them', () => {
    const cases: [number, string][] = [
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [1e16, '1e+16'],
      [1.2345678901234568e17, '1.2345678901234568e+17'],
      [1, '1.0'],
      [-0.5, '-0.5'],
      [1e22, '1e+22'],
      [1.5e-7, '1.5e-07'],
      [9999999999999998, '9999999999999998.0'],
      [0.1, '0.1'],
      [-0, '-0.0'],
      [2.5e-5, '2.5e-05'],
      [1234.5678, '1234.5678'],
      [1e15, '1000000000000000.0'],
    ];
    for (const [x, py] of cases) expect(pyFloatRepr(x), String(x)).toBe(py);
  });

  test('json.dumps: separators, bare NaN and infinities, ASCII escapes, ints stay ints', () => {
    const v = { a: Number.NaN, b: [Infinity, -Infinity], é: 'ü\u007f\n"', n: null, t: true, i: 3 };
    expect(pyJson(v)).toBe('{"a": NaN, "b": [Infinity, -Infinity], "\\u00e9": "\\u00fc\\u007f\\n\\"", "n": null, "t": true, "i": 3}');
    expect(pyJson({ low: new PyFloat(1), step: 1 })).toBe('{"low": 1.0, "step": 1}');
  });

  test('json.loads: bare NaN and infinities outside strings, kept inside', () => {
    const v = parsePyJson('{"a": NaN, "b": [Infinity, -Infinity], "s": "NaN \\" Infinity"}') as Record<string, unknown>;
    expect(v.a).toBeNaN();
    expect(v.b).toEqual([Infinity, -Infinity]);
    expect(v.s).toBe('NaN " Infinity');
    expect(() => parsePyJson('{"a": Na')).toThrow(SyntaxError);
  });

  test('datetimes are naive local time with microseconds, as datetime.isoformat(timespec="microseconds")', () => {
    const ms = new Date(2026, 11, 1, 22, 30, 26, 272).getTime();
    expect(optunaDatetime(ms)).toBe('2026-12-01T22:30:26.272000');
    expect(parseOptunaDatetime('2026-12-01T22:30:26.272432')).toBeCloseTo(ms + 0.432, 6);
    expect(parseOptunaDatetime('2026-12-01T22:30:26')).toBe(ms - 272);
    expect(parseOptunaDatetime('yesterday')).toBeNaN();
  });
});
