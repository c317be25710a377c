// The unknown-option check of every search and factory: a misspelt key (`trial: 50`) would
// otherwise be ignored silently and its default used. The same rule as @nnkit/tensor-wasm's
// checkOptionKeys, copied because this package imports nothing of nnkit.
import { describeValue } from './describe-value';
import { NnkitError } from './errors';
import type { SearchOptions } from './run';

/** Every key of the options all searches share ({@link SearchOptions} in run.ts). */
export const SEARCH_OPTION_KEYS = [
  'seed', 'direction', 'concurrency', 'storage', 'pruner', 'progress', 'onTrialEnd', 'onWarning', 'trialTimeoutMs', 'maxRetries',
] as const satisfies readonly (keyof SearchOptions)[];

/**
 * Throws unless `options` is undefined or a plain object whose keys are all in `known`, naming the
 * unknown key, the known one it nearly matches (case, or a missing ending) and every valid key.
 *
 * @param options - the options a search or factory received
 * @param known - its valid option names
 * @param where - as messages name it: 'randomSearch()'
 * @example
 * checkOptionKeys({ trial: 50 }, ['trials'], 'randomSearch()'); // throws: … (did you mean "trials"?) …
 */
export function checkOptionKeys(options: unknown, known: readonly string[], where: string): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const lower = key.toLowerCase();
    // Same but for case, else the shortest key it begins (`trial` → `trials`, not `trialTimeoutMs`).
    const longer = lower.length >= 3 ? known.filter((k) => k.toLowerCase().startsWith(lower)).sort((a, b) => a.length - b.length) : [];
    const near = known.find((k) => k.toLowerCase() === lower) ?? longer[0];
    const hint = near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`;
    throw new NnkitError('INVALID_ARGUMENT', `${where}: unknown option ${JSON.stringify(key)}${hint}; expected one of ${known.join(', ')}`);
  }
}
