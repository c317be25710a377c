// How error messages of every nnkit package show a value they received: by what it is, not by
// String(value), which prints the string '5' like the number 5, an array as its joined items and an
// object as [object Object]. (@nnkit/tuning keeps a copy: it imports nothing of ours.)

/** Strings longer than this are cut in messages. */
const MAX_STRING = 40;
/** Object keys named at most. */
const MAX_KEYS = 4;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describeObject(value: object): string {
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${plural(value.length, 'item')}`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return `a ${value.constructor.name} of ${plural((value as unknown as ArrayLike<number>).length, 'value')}`;
  }
  const maybeTensor = value as { shape?: unknown; dtype?: unknown; isDisposed?: unknown };
  if (Array.isArray(maybeTensor.shape) && typeof maybeTensor.dtype === 'string') {
    return `${maybeTensor.isDisposed === true ? 'a disposed' : 'a'} Tensor of shape [${maybeTensor.shape.join(', ')}]`;
  }
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  if (name && name !== 'Object') return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, MAX_KEYS).join(', ');
  return `an object with keys ${shown}${keys.length > MAX_KEYS ? ', …' : ''}`;
}

/**
 * Describes a received value for an error message: numbers as they are (`5`, `NaN`, `-Infinity`),
 * strings quoted and called strings (`'5' (a string)`), `null` and `undefined` by name, arrays,
 * typed arrays, Tensors and objects by what they are (`an array of 3 items`, `a Tensor of shape [2, 3]`).
 *
 * @param value - anything a caller passed
 * @returns a short phrase that fits both "got …" and "epochs … must be …"
 * @example
 * describeValue('5')        // "'5' (a string)"
 * describeValue([1, 2, 3])  // 'an array of 3 items'
 * describeValue(Number.NaN) // 'NaN'
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string': {
      const cut = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
      return `'${cut}' (a string${value.length > MAX_STRING ? ` of ${value.length} characters` : ''})`;
    }
    case 'boolean':
      return `${value} (a boolean)`;
    case 'bigint':
      return `${value}n (a bigint)`;
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return `${String(value)} (a symbol)`;
    case 'function':
      return value.name ? `the function ${value.name}` : 'a function';
    default:
      return value === null ? 'null' : describeObject(value as object);
  }
}

/**
 * The advice to add where a Tensor was wanted: for a plain or typed array, how to make a Tensor of
 * it; for anything else, nothing.
 *
 * @param value - what was received instead of a Tensor
 * @returns `'; make a Tensor of it with tensor(values, shape)'` for arrays, else `''`
 * @example
 * `x must be a Tensor, got ${describeValue(x)}${tensorHint(x)}`
 */
export function tensorHint(value: unknown): string {
  const arrayLike = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  return arrayLike ? '; make a Tensor of it with tensor(values, shape), e.g. tensor([1, 2, 3, 4], [2, 2])' : '';
}
