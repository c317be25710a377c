// One check for every nnkit factory's options object: a misspelt key (`learningrate`, `epoch`)
// would otherwise be ignored silently and its default used, which is hard to notice in training.
import { describeValue } from './describe-value';
import { NnkitError } from './errors';

/**
 * Throws unless `options` is undefined or a plain object whose keys are all in `known`; the
 * message names the unknown key, the closest known one when it differs only in case or by a
 * missing ending, and every valid key.
 *
 * @param options - the options object a factory received (undefined means none)
 * @param known - the factory's valid option names
 * @param where - the factory, as messages name it: 'dense()'
 * @returns the options as a record (an empty one when undefined)
 * @throws NnkitError `INVALID_ARGUMENT` for a non-object or an unknown key
 * @example
 * checkOptionKeys({ learningrate: 0.1 }, ['learningRate'], 'sgd()');
 * // NnkitError: sgd(): unknown option "learningrate" (did you mean "learningRate"?); expected one of learningRate
 */
export function checkOptionKeys(options: unknown, known: readonly string[], where: string): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const near = closestKey(key, known);
      const hint = near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`;
      throw new NnkitError('INVALID_ARGUMENT', `${where}: unknown option ${JSON.stringify(key)}${hint}; expected one of ${known.join(', ')}`);
    }
  }
  return options as Record<string, unknown>;
}

/** A known key equal to `key` but for case, else the shortest one that `key` begins (`epoch` → `epochs`). */
function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const same = known.find((k) => k.toLowerCase() === lower);
  if (same !== undefined || lower.length < 3) return same;
  return known.filter((k) => k.toLowerCase().startsWith(lower)).sort((a, b) => a.length - b.length)[0];
}
