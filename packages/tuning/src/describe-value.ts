// How error messages show a value they received, in the same words as `describeValue` of
// @nnkit/tensor-wasm (this package imports nothing of ours, so it keeps this copy). The function is
// self-contained, with no module-level helpers, because the trial worker inlines its source text.

/**
 * Describes a received value for an error message: numbers as they are (`5`, `NaN`), strings quoted
 * and called strings (`'5' (a string)`), `null` and `undefined` by name, arrays and objects by what
 * they are (`an array of 3 items`, `an object with keys lr, beta`).
 *
 * @param value - anything a caller passed
 * @returns a short phrase that fits both "got …" and "trials … must be …"
 * @example
 * describeValue('50')  // "'50' (a string)"
 */
export function describeValue(value: unknown): string {
  const maxString = 40;
  const maxKeys = 4;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string': {
      const long = value.length > maxString;
      return `'${long ? `${value.slice(0, maxString)}…` : value}' (a string${long ? ` of ${value.length} characters` : ''})`;
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
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${plural(value.length, 'item')}`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return `a ${value.constructor.name} of ${plural((value as unknown as ArrayLike<number>).length, 'value')}`;
  }
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  if (name && name !== 'Object') return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
  const keys = Object.keys(value as object);
  if (keys.length === 0) return 'an empty object';
  return `an object with keys ${keys.slice(0, maxKeys).join(', ')}${keys.length > maxKeys ? ', …' : ''}`;
}
