// JSON as Optuna's journal holds it. Optuna writes each record with Python's `json.dumps` (", " and
// ": " separators, non-ASCII escaped, NaN and ±Infinity as bare words, floats as Python's repr,
// so 1.0 and not 1) and reads it with `json.loads`, which accepts those bare words. JavaScript's
// JSON has none of that, hence this writer and reader. Datetimes are Python's naive local
// `datetime.now().isoformat(timespec="microseconds")`.

/** Marks a number to be written as a Python float (`1.0`, `1e-05`), not as an int. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/**
 * A number as Python's `repr(float)` writes it: the shortest digits that read back exactly,
 * positional when the decimal exponent is in [-4, 16), else `d.ddde±XX`; always with a point or
 * an exponent, so it reads back as a float.
 *
 * @param x - any number
 * @returns Python's spelling of `float(x)`
 * @example
 * pyFloatRepr(1e-5); // '1e-05'
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() without an argument gives the shortest round-tripping digits, as repr does.
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${whole}.${frac || '0'}`;
}

function pyString(s: string): string {
  // JSON.stringify already escapes quotes, backslashes and control characters as Python does;
  // Python's ensure_ascii also escapes everything outside space…tilde as \uXXXX.
  return JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Serializes a value as Python's `json.dumps` would: numbers that are integers as ints, other
 * numbers and {@link PyFloat}s as floats, keys in insertion order.
 *
 * @param v - a JSON-like value (objects, arrays, strings, numbers, booleans, null, PyFloat)
 * @returns one line of JSON as Python writes it
 * @example
 * pyJson({ a: new PyFloat(1), b: [Number.NaN] }); // '{"a": 1.0, "b": [NaN]}'
 */
export function pyJson(v: unknown): string {
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? String(v) : pyFloatRepr(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return pyString(v);
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{${entries.map(([k, x]) => `${pyString(k)}: ${pyJson(x)}`).join(', ')}}`;
  }
  return pyString(String(v));
}

const BARE: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };
const MARK = '\u0000nnkit-number:';

/**
 * Parses one line written by Python's `json.dumps`: standard JSON plus the bare words NaN,
 * Infinity and -Infinity (outside strings), which become those numbers.
 *
 * @param text - one JSON document
 * @returns the parsed value; throws SyntaxError like JSON.parse
 * @example
 * parsePyJson('{"v": NaN}').v; // NaN
 */
export function parsePyJson(text: string): unknown {
  if (!/NaN|Infinity/.test(text)) return JSON.parse(text);
  // Swap the bare words outside strings for marked strings, then turn those back into numbers.
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const word = ['-Infinity', 'Infinity', 'NaN'].find((w) => text.startsWith(w, i));
    if (word) {
      out += JSON.stringify(MARK + word);
      i += word.length;
      continue;
    }
    out += c;
    i++;
  }
  return JSON.parse(out, (_k, v) => (typeof v === 'string' && v.startsWith(MARK) ? BARE[v.slice(MARK.length)] : v));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A time as Optuna writes it: naive local time with microseconds,
 * `datetime.now().isoformat(timespec="microseconds")`.
 *
 * @param ms - milliseconds since the epoch
 * @returns e.g. '2026-12-01T22:30:26.272000'
 * @example
 * optunaDatetime(Date.now());
 */
export function optunaDatetime(ms: number): string {
  const d = new Date(ms);
  const micros = d.getMilliseconds() * 1000 + Math.floor((ms - Math.floor(ms)) * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(micros, 6)}`;
}

/**
 * Reads a datetime Optuna wrote (naive local ISO 8601, seconds and fraction optional).
 *
 * @param text - e.g. '2026-12-01T22:30:26.272432'
 * @returns milliseconds since the epoch, or NaN when unreadable
 * @example
 * parseOptunaDatetime('2026-12-01T22:30:26.272432');
 */
export function parseOptunaDatetime(text: unknown): number {
  if (typeof text !== 'string') return Number.NaN;
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,6}))?)?/.exec(text);
  if (!m) return Number.NaN;
  const micros = Number((m[7] ?? '').padEnd(6, '0'));
  const base = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0), 0).getTime();
  return base + micros / 1000;
}
