// Checks that values handed to tensor() or assign() are numbers. A typed array holds numbers by
// construction; a plain array may hold anything, and writing a string or undefined into the
// kernel's memory would silently become NaN, so every element of a plain array is looked at once.
import { describeValue } from './describe-value';
import { NnkitError } from './errors';

/**
 * Throws INVALID_ARGUMENT naming the first element of `values` that is not a number.
 *
 * @param values - what the caller wants written into a tensor
 * @param where - the calling function, for the message
 */
export function checkNumbers(values: ArrayLike<unknown>, where: string): void {
  if (ArrayBuffer.isView(values)) return;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number') continue;
    const hint = Array.isArray(v)
      ? 'pass the values flat, row-major, with the shape as the second argument'
      : typeof v === 'string'
        ? 'convert strings first, e.g. with Number(v)'
        : 'every element must be a number';
    throw new NnkitError('INVALID_ARGUMENT', `${where}: values[${i}] is ${describeValue(v)}; expected a number (${hint})`);
  }
}
