// nnkit's search distributions as Optuna's (optuna/distributions.py, 3.1): a journal names each
// param's distribution with `distribution_to_json`, a JSON string of
// {"name": <class>, "attributes": <the instance's fields>}, and stores the param in Optuna's
// "internal representation": the float itself for FloatDistribution and IntDistribution (an int
// as a float, 3.0), the index of the choice for CategoricalDistribution.
import type { ParamValue } from './distributions';
import { NnkitError } from './errors';
import type { EntrySpec } from './space';
import { PyFloat } from './optuna-json';

/** An Optuna distribution as `distribution_to_json` describes it (parsed). */
export type OptunaDistribution =
  | { name: 'FloatDistribution'; attributes: { step: number | null; low: number; high: number; log: boolean } }
  | { name: 'IntDistribution'; attributes: { log: boolean; step: number; low: number; high: number } }
  | { name: 'CategoricalDistribution'; attributes: { choices: ParamValue[] } };

/** The distribution specs an Optuna distribution can stand for (a `when` is unwrapped first). */
type PlainSpec = Exclude<EntrySpec, { kind: 'when' }>;

function plain(spec: EntrySpec): PlainSpec {
  return spec.kind === 'when' ? plain(spec.entry) : spec;
}

/**
 * The Optuna distribution of a space entry. `oneMinusLogUniform(a, b)` has no Optuna counterpart:
 * it becomes a plain FloatDistribution of β over [a, b] (the journal keeps nnkit's own
 * distribution beside it); a fixed value becomes a one-choice CategoricalDistribution.
 *
 * @param spec - an entry of `describeSpace(space)`
 * @returns the Optuna distribution, attributes in the order Optuna writes them
 * @example
 * optunaDistribution({ kind: 'logUniform', low: 1e-4, high: 1 }).attributes.log; // true
 */
export function optunaDistribution(spec: EntrySpec): OptunaDistribution {
  const s = plain(spec);
  switch (s.kind) {
    case 'uniform':
    case 'oneMinusLogUniform':
      return { name: 'FloatDistribution', attributes: { step: null, low: s.low, high: s.high, log: false } };
    case 'logUniform':
      return { name: 'FloatDistribution', attributes: { step: null, low: s.low, high: s.high, log: true } };
    case 'intUniform':
      return { name: 'IntDistribution', attributes: { log: false, step: 1, low: s.low, high: s.high } };
    case 'intLogUniform':
      return { name: 'IntDistribution', attributes: { log: true, step: 1, low: s.low, high: s.high } };
    case 'choice':
      return { name: 'CategoricalDistribution', attributes: { choices: [...s.values] } };
    case 'fixed':
      return { name: 'CategoricalDistribution', attributes: { choices: [s.value] } };
  }
}

/**
 * Whether nnkit must keep its own description of an entry beside Optuna's (Optuna's alone would
 * not give it back).
 *
 * @param spec - an entry of `describeSpace(space)`
 * @returns true for `oneMinusLogUniform`
 * @example
 * needsOwnSpec({ kind: 'oneMinusLogUniform', low: 0.9, high: 0.999 }); // true
 */
export function needsOwnSpec(spec: EntrySpec): boolean {
  return plain(spec).kind === 'oneMinusLogUniform';
}

/**
 * `distribution_to_json(dist)`: the JSON string a journal holds, floats spelled as floats.
 *
 * @param d - an Optuna distribution
 * @returns a value for {@link pyJson} that prints as Optuna's JSON object (the caller stringifies it)
 * @example
 * pyJson(distributionJsonValue(optunaDistribution({ kind: 'uniform', low: 0, high: 1 })));
 * // '{"name": "FloatDistribution", "attributes": {"step": null, "low": 0.0, "high": 1.0, "log": false}}'
 */
export function distributionJsonValue(d: OptunaDistribution): unknown {
  if (d.name === 'FloatDistribution') {
    const a = d.attributes;
    return { name: d.name, attributes: { step: a.step === null ? null : new PyFloat(a.step), low: new PyFloat(a.low), high: new PyFloat(a.high), log: a.log } };
  }
  return d;
}

const fail = (what: string) => new NnkitError('STORAGE_MISMATCH', `not an Optuna distribution: ${what}`);

/**
 * Reads `json_to_distribution`'s input (the full form Optuna writes).
 *
 * @param text - the JSON string of a journal's "distribution"/"distributions" field
 * @returns the distribution; throws STORAGE_MISMATCH when it is none of the three kinds
 * @example
 * parseOptunaDistribution('{"name": "IntDistribution", "attributes": {"log": false, "step": 1, "low": 1, "high": 4}}');
 */
export function parseOptunaDistribution(text: unknown): OptunaDistribution {
  if (typeof text !== 'string') throw fail(JSON.stringify(text)?.slice(0, 80) ?? String(text));
  let d: { name?: unknown; attributes?: Record<string, unknown> };
  try {
    d = JSON.parse(text);
  } catch {
    throw fail(text.slice(0, 80));
  }
  const a = d?.attributes;
  if (typeof a !== 'object' || a === null) throw fail(text.slice(0, 80));
  const num = (v: unknown) => typeof v === 'number';
  if (d.name === 'FloatDistribution' && num(a.low) && num(a.high)) {
    return { name: d.name, attributes: { step: num(a.step) ? (a.step as number) : null, low: a.low as number, high: a.high as number, log: a.log === true } };
  }
  if (d.name === 'IntDistribution' && num(a.low) && num(a.high)) {
    return { name: d.name, attributes: { log: a.log === true, step: num(a.step) ? (a.step as number) : 1, low: a.low as number, high: a.high as number } };
  }
  if (d.name === 'CategoricalDistribution' && Array.isArray(a.choices)) {
    return { name: d.name, attributes: { choices: a.choices as ParamValue[] } };
  }
  throw fail(text.slice(0, 80));
}

/**
 * A param value in Optuna's internal representation (`to_internal_repr`).
 *
 * @param d - the param's distribution
 * @param value - nnkit's value
 * @returns a float for numeric distributions, the choice's index for a categorical one
 * @example
 * toInternal(optunaDistribution({ kind: 'choice', values: ['a', 'b'] }), 'b'); // 1
 */
export function toInternal(d: OptunaDistribution, value: ParamValue): number | PyFloat {
  if (d.name !== 'CategoricalDistribution') return new PyFloat(Number(value));
  const i = d.attributes.choices.indexOf(value);
  if (i < 0) {
    throw new NnkitError('INVALID_ARGUMENT', `param value ${JSON.stringify(value)} is not among the choices ${JSON.stringify(d.attributes.choices)}`);
  }
  return i;
}

/**
 * A param value from Optuna's internal representation (`to_external_repr`).
 *
 * @param d - the param's distribution
 * @param internal - the stored number
 * @returns the value (an integer for IntDistribution, the choice for a categorical)
 * @example
 * toExternal(parseOptunaDistribution('{"name": "IntDistribution", "attributes": {"log": false, "step": 1, "low": 1, "high": 4}}'), 3.0); // 3
 */
export function toExternal(d: OptunaDistribution, internal: unknown): ParamValue {
  if (typeof internal !== 'number') throw fail(`param value ${JSON.stringify(internal)} is not a number`);
  if (d.name === 'FloatDistribution') return internal;
  if (d.name === 'IntDistribution') return Math.trunc(internal);
  const c = d.attributes.choices[internal];
  if (!Number.isInteger(internal) || c === undefined) throw fail(`choice index ${internal} of ${JSON.stringify(d.attributes.choices)}`);
  return c;
}

/**
 * Whether two distributions are the same (class and every attribute), as nnkit requires before
 * resuming a study another program wrote.
 *
 * @param a - one distribution
 * @param b - another
 * @returns true when equal
 * @example
 * sameDistribution(optunaDistribution({ kind: 'uniform', low: 0, high: 1 }), optunaDistribution({ kind: 'uniform', low: 0, high: 1 })); // true
 */
export function sameDistribution(a: OptunaDistribution, b: OptunaDistribution): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
