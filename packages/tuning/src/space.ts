// A search space: a plain object whose entries are distributions, fixed values, or conditional
// entries (`when`). Keys are sampled in declaration order, so a condition sees the parameters
// declared before it — "units of layer 3" can depend on "layers".
import {
  type ChoiceDistribution,
  type Distribution,
  type DistributionSpec,
  isDistribution,
  isNumeric,
  type NumericDistribution,
  type ParamValue,
} from './distributions';
import { describeValue } from './describe-value';
import { NnkitError } from './errors';
import type { SearchRng } from './rng';

/** The sampled hyperparameters of one trial; inactive conditional keys are absent. */
export type Params = Record<string, ParamValue>;

/** A parameter that exists only when `condition` holds for the parameters sampled before it. */
export interface Conditional<E extends Distribution | ParamValue = Distribution | ParamValue> {
  readonly kind: 'when';
  readonly condition: (params: Params) => boolean;
  readonly entry: E;
}

/** The value type of one space entry: number for numeric ranges, the union of a choice's values, a fixed value's type. */
export type ValueOf<E> = E extends NumericDistribution
  ? number
  : E extends ChoiceDistribution<infer T>
    ? T
    : E extends Conditional<infer I>
      ? ValueOf<I>
      : E;

/**
 * The parameters a space produces, typed key by key; conditional keys are optional.
 *
 * @example
 * type P = ParamsOf<{ lr: NumericDistribution; act: ChoiceDistribution<'relu' | 'tanh'> }>; // { lr: number; act: 'relu' | 'tanh' }
 */
export type ParamsOf<S> = {
  [K in keyof S as S[K] extends Conditional ? never : K]: ValueOf<S[K]>;
} & {
  [K in keyof S as S[K] extends Conditional ? K : never]?: ValueOf<S[K]>;
};

/** One entry of a space: a distribution, a fixed value, or a conditional entry. */
export type SpaceEntry = Distribution | Conditional | ParamValue;

/** A search space: hyperparameter name → entry. */
export type Space = Record<string, SpaceEntry>;

/** The JSON description of a space entry (its fingerprint in a journal). */
export type EntrySpec = DistributionSpec | { kind: 'fixed'; value: ParamValue } | { kind: 'when'; condition: string; entry: EntrySpec };

/**
 * A conditional parameter: sampled only when `condition(params)` is true for the parameters
 * declared before it in the space; otherwise absent from the trial's params.
 *
 * @param condition - a pure function of the earlier parameters
 * @param entry - the distribution (or fixed value) used when the condition holds
 * @returns the space entry
 * @example
 * const space = { layers: intUniform(1, 3), units2: when((p) => Number(p.layers) >= 2, intLogUniform(16, 256)) };
 */
export function when<E extends Distribution | ParamValue>(condition: (params: Params) => boolean, entry: E): Conditional<E> {
  if (typeof condition !== 'function') {
    throw new NnkitError('INVALID_ARGUMENT', `when(): condition is ${typeof condition}; expected a function of the params`);
  }
  checkEntry(entry, 'when');
  return { kind: 'when', condition, entry };
}

/**
 * Tells whether a space entry is conditional.
 *
 * @param e - a space entry
 * @returns true for the results of `when`
 * @example
 * isConditional(when(() => true, 1)); // true
 */
export function isConditional(e: SpaceEntry): e is Conditional {
  return typeof e === 'object' && e !== null && (e as Conditional).kind === 'when' && typeof (e as Conditional).condition === 'function';
}

function checkEntry(e: unknown, key: string): void {
  if (e === null || typeof e === 'string' || typeof e === 'boolean') return;
  if (typeof e === 'number') {
    if (Number.isFinite(e)) return;
    throw new NnkitError('INVALID_SPACE', `space entry ${key} = ${e}; a fixed number must be finite`);
  }
  if (isDistribution(e) || isConditional(e as SpaceEntry)) return;
  throw new NnkitError(
    'INVALID_SPACE',
    `space entry ${key} is ${Array.isArray(e) ? 'an array' : typeof e}; expected a distribution (uniform, logUniform, …, choice), when(...), or a fixed number/string/boolean/null (a list of options is choice([...]))`,
  );
}

/**
 * Checks a space: at least one entry, each a distribution, a conditional entry or a fixed value.
 *
 * @param space - the space to check
 * @returns nothing; throws `NnkitError` `EMPTY_SPACE` or `INVALID_SPACE`
 * @example
 * validateSpace({ lr: logUniform(1e-4, 1) });
 */
export function validateSpace(space: Space): void {
  if (typeof space !== 'object' || space === null || Array.isArray(space)) {
    throw new NnkitError('INVALID_SPACE', `space is ${describeValue(space)}; expected an object of name → distribution`);
  }
  const keys = Object.keys(space);
  if (keys.length === 0) {
    throw new NnkitError('EMPTY_SPACE', 'space {} has no parameters; expected at least one entry such as { lr: logUniform(1e-4, 1) }');
  }
  for (const k of keys) checkEntry(space[k], k);
}

function resolve(entry: Distribution | ParamValue, rng: SearchRng): ParamValue {
  return isDistribution(entry) ? entry.sample(rng) : entry;
}

/**
 * Draws one set of parameters, keys in declaration order, conditional keys only when active.
 *
 * @param space - a validated space
 * @param rng - the generator of this trial
 * @returns the parameters
 * @example
 * sampleSpace({ lr: logUniform(1e-4, 1) }, createSearchRng(1)); // { lr: 0.0123… }
 */
export function sampleSpace(space: Space, rng: SearchRng): Params {
  const params: Params = {};
  for (const [key, entry] of Object.entries(space)) {
    if (isConditional(entry)) {
      if (entry.condition({ ...params })) params[key] = resolve(entry.entry, rng);
    } else {
      params[key] = resolve(entry as Distribution | ParamValue, rng);
    }
  }
  return params;
}

function describeEntry(e: SpaceEntry): EntrySpec {
  if (isConditional(e)) return { kind: 'when', condition: e.condition.toString(), entry: describeEntry(e.entry) };
  if (isDistribution(e)) return e.describe();
  return { kind: 'fixed', value: e as ParamValue };
}

/**
 * The JSON description of a space, in key order.
 *
 * @param space - a space
 * @returns name → entry description
 * @example
 * describeSpace({ lr: logUniform(1e-4, 1) }); // { lr: { kind: 'logUniform', low: 0.0001, high: 1 } }
 */
export function describeSpace(space: Space): Record<string, EntrySpec> {
  const out: Record<string, EntrySpec> = {};
  for (const [k, e] of Object.entries(space)) out[k] = describeEntry(e);
  return out;
}

/**
 * A short stable hash (FNV-1a, 32 bits, hex) of a space's description; a journal records it so
 * that a study is never resumed over a different space.
 *
 * @param space - a space
 * @returns 8 hex digits
 * @example
 * spaceFingerprint({ lr: logUniform(1e-4, 1) }); // e.g. '3f0c9a12'
 */
export function spaceFingerprint(space: Space): string {
  const text = JSON.stringify(describeSpace(space));
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * The numeric distribution behind an entry (unwrapping `when`), if any.
 *
 * @param e - a space entry
 * @returns the numeric distribution, or undefined for choices and fixed values
 * @example
 * numericOf(when(() => true, uniform(0, 1)))?.low; // 0
 */
export function numericOf(e: SpaceEntry): NumericDistribution | undefined {
  const inner = isConditional(e) ? e.entry : e;
  return isDistribution(inner) && isNumeric(inner) ? inner : undefined;
}

/**
 * A copy of a space whose numeric entries are narrowed to new ranges (conditions kept).
 *
 * @param space - a space
 * @param ranges - name → [low, high] for the entries to narrow
 * @returns the narrowed space
 * @example
 * narrowSpace({ x: uniform(0, 1) }, { x: [0.2, 0.4] });
 */
export function narrowSpace(space: Space, ranges: Record<string, readonly [number, number]>): Space {
  const out: Space = {};
  for (const [k, e] of Object.entries(space)) {
    const d = numericOf(e);
    const r = ranges[k];
    if (!d || !r) {
      out[k] = e;
      continue;
    }
    const narrowed = d.withRange(r[0], r[1]);
    out[k] = isConditional(e) ? { kind: 'when', condition: e.condition, entry: narrowed } : narrowed;
  }
  return out;
}
