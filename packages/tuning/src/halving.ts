// Successive halving and hyperband over a resource such as epochs (Jamieson & Talwalkar 2016;
// Li et al. 2018). Many configurations get a small budget; the best 1/η of each rung go on with η
// times more. Hyperband runs several such brackets, from "many configurations, tiny budget" to
// "few configurations, full budget", because which one wins depends on the problem. Rungs are
// synchronous: a rung starts when the one below has finished. A promoted configuration may pick up
// its own checkpoint from the rung below with `trial.restore()` instead of training from scratch.
import { NnkitError } from './errors';
import type { TrialRecord } from './records';
import { rankTrials } from './report';
import { createSearchRng } from './rng';
import { checkOptionKeys, SEARCH_OPTION_KEYS } from './option-keys';
import { checkPositiveInt, type ObjectiveSource, type Plan, runStudy, type Sampler, type SearchOptions } from './run';
import { type Params, type ParamsOf, sampleSpace, type Space, validateSpace } from './space';
import type { Study } from './study';

/** Options of {@link successiveHalving} and {@link hyperband}. */
export interface HalvingOptions extends SearchOptions {
  /** Name of the budget parameter the objective receives in its params (e.g. 'epochs'); not a space key. */
  resource: string;
  /** Smallest budget a configuration gets. */
  min: number;
  /** Largest budget a configuration gets. */
  max: number;
  /** Keep 1/η of each rung, with η× the budget (default 3). */
  eta?: number;
  /** Successive halving only: configurations in the first rung (default η^s, so one survives). */
  trials?: number;
}

/** Every key of {@link HalvingOptions}, for the unknown-option check. */
const HALVING_OPTION_KEYS = [...SEARCH_OPTION_KEYS, 'resource', 'min', 'max', 'eta', 'trials'] as const satisfies readonly (keyof HalvingOptions)[];

/** One rung: `n` configurations with budget `resource`. */
export interface Rung {
  n: number;
  resource: number;
}

/** One bracket of successive halving. */
export interface Bracket {
  s: number;
  rungs: Rung[];
}

function checkBudget(min: number, max: number, eta: number, where: string): number {
  if (!(Number.isFinite(min) && Number.isFinite(max)) || min <= 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}(): min ${min}, max ${max}; expected finite budgets with 0 < min < max`);
  }
  if (min >= max) throw new NnkitError('INVALID_ARGUMENT', `${where}(): min ${min} ≥ max ${max}; expected min < max`);
  if (!(Number.isFinite(eta) && eta > 1)) throw new NnkitError('INVALID_ARGUMENT', `${where}(): eta ${eta}; expected a number > 1`);
  // The tolerance absorbs log rounding (log(81)/log(3) is not exactly 4 in floating point).
  return Math.floor(Math.log(max / min) / Math.log(eta) + 1e-9);
}

function bracket(n: number, s: number, min: number, max: number, eta: number): Bracket {
  const integer = Number.isInteger(min) && Number.isInteger(max);
  const rungs: Rung[] = [];
  for (let i = 0; i <= s; i++) {
    const r = max * eta ** (i - s);
    rungs.push({ n: Math.max(1, Math.floor(n / eta ** i + 1e-9)), resource: integer ? Math.max(min, Math.round(r)) : r });
  }
  return { s, rungs };
}

/**
 * The rungs of one successive-halving bracket: rung i has ⌊n/ηⁱ⌋ configurations with budget
 * max·η^(i−s), where s = ⌊log_η(max/min)⌋. Integer budgets stay integers.
 *
 * @param n - configurations in the first rung
 * @param min - smallest budget
 * @param max - largest budget
 * @param eta - reduction factor
 * @returns the bracket
 * @example
 * halvingSchedule(27, 1, 27, 3).rungs; // [{ n: 27, resource: 1 }, { n: 9, resource: 3 }, { n: 3, resource: 9 }, { n: 1, resource: 27 }]
 */
export function halvingSchedule(n: number, min: number, max: number, eta = 3): Bracket {
  checkPositiveInt(n, 'trials', 'successiveHalving');
  return bracket(n, checkBudget(min, max, eta, 'successiveHalving'), min, max, eta);
}

/**
 * Hyperband's brackets (Li et al. 2018, algorithm 1): for s = s_max … 0, n = ⌈(s_max+1)/(s+1)·η^s⌉
 * configurations starting at budget max·η^−s.
 *
 * @param min - smallest budget
 * @param max - largest budget
 * @param eta - reduction factor
 * @returns the brackets, most exploratory first
 * @example
 * hyperbandSchedule(1, 81, 3)[1].rungs.map((r) => r.n); // [34, 11, 3, 1]
 */
export function hyperbandSchedule(min: number, max: number, eta = 3): Bracket[] {
  const sMax = checkBudget(min, max, eta, 'hyperband');
  const out: Bracket[] = [];
  for (let s = sMax; s >= 0; s--) out.push(bracket(Math.ceil(((sMax + 1) / (s + 1)) * eta ** s - 1e-9), s, min, max, eta));
  return out;
}

function scheduleSampler(name: string, space: Space, resource: string, brackets: Bracket[], direction: 'minimize' | 'maximize'): Sampler {
  const configs = new Map<number, Params>();
  const configParams = (configId: number, seed: number) => {
    if (!configs.has(configId)) configs.set(configId, sampleSpace(space, createSearchRng(seed, configId)));
    return configs.get(configId)!;
  };
  return {
    name,
    total: brackets.reduce((s, b) => s + b.rungs.reduce((t, r) => t + r.n, 0), 0),
    plan(id, records: readonly TrialRecord[], seed): Plan | 'wait' | 'done' {
      let cursor = 0;
      let configBase = 0;
      for (let b = 0; b < brackets.length; b++) {
        const { rungs } = brackets[b];
        let ids = Array.from({ length: rungs[0].n }, (_, k) => configBase + k);
        configBase += rungs[0].n;
        for (let i = 0; i < rungs.length; i++) {
          if (id < cursor + ids.length) {
            const configId = ids[id - cursor];
            const r = rungs[i].resource;
            return { params: { ...configParams(configId, seed), [resource]: r }, meta: { bracket: b, rung: i, resource: r, configId } };
          }
          const rung = records.filter((t) => t.id >= cursor && t.id < cursor + ids.length);
          if (rung.length < ids.length || rung.some((t) => t.state === 'running')) return 'wait';
          cursor += ids.length;
          if (i + 1 < rungs.length) {
            ids = rankTrials(rung, direction)
              .filter((t) => t.state === 'complete')
              .slice(0, rungs[i + 1].n)
              .map((t) => t.configId!);
          }
        }
      }
      return 'done';
    },
  };
}

function checkResource(resource: string, space: Space, where: string): void {
  if (typeof resource !== 'string' || resource.length === 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}(): resource ${JSON.stringify(resource)}; expected the name of the budget parameter, e.g. 'epochs'`);
  }
  if (resource in space) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}(): resource '${resource}' is also a space key; the budget is set by the search, remove it from the space`);
  }
}

/**
 * Successive halving: `trials` random configurations at budget `max·η^−s`, the best 1/η promoted
 * with η× the budget, until `max`. The objective reads its budget from `params[resource]`.
 *
 * @param space - the search space (without the resource)
 * @param objective - a function, or a module path/URL run in workers
 * @param options - resource, min, max, eta, trials, and the common options
 * @returns the study; trials carry bracket, rung, resource and configId; `schedule` lists the rungs
 * @example
 * const study = await successiveHalving(space, async (p) => train(p, p.epochs), { resource: 'epochs', min: 1, max: 27, eta: 3 });
 */
export async function successiveHalving<S extends Space, R extends string>(
  space: S,
  objective: ObjectiveSource<ParamsOf<S> & Record<R, number>>,
  options: HalvingOptions & { resource: R },
): Promise<Study<ParamsOf<S> & Record<R, number>> & { schedule: Bracket[] }> {
  validateSpace(space);
  checkOptionKeys(options, HALVING_OPTION_KEYS, 'successiveHalving()');
  checkResource(options?.resource, space, 'successiveHalving');
  const { min, max, eta = 3 } = options;
  const s = checkBudget(min, max, eta, 'successiveHalving');
  const schedule = [halvingSchedule(options.trials ?? Math.max(1, Math.round(eta ** s)), min, max, eta)];
  const sampler = scheduleSampler('successiveHalving', space, options.resource, schedule, options.direction ?? 'minimize');
  const study = await runStudy(space, objective as ObjectiveSource, sampler, options);
  return Object.assign(study as unknown as Study<ParamsOf<S> & Record<R, number>>, { schedule });
}

/**
 * Hyperband: successive halving in every bracket of {@link hyperbandSchedule}, one after another.
 *
 * @param space - the search space (without the resource)
 * @param objective - a function, or a module path/URL run in workers
 * @param options - resource, min, max, eta, and the common options
 * @returns the study; trials carry bracket, rung, resource and configId; `schedule` lists the brackets
 * @example
 * const study = await hyperband(space, objective, { resource: 'epochs', min: 1, max: 27, eta: 3, seed: 1 });
 */
export async function hyperband<S extends Space, R extends string>(
  space: S,
  objective: ObjectiveSource<ParamsOf<S> & Record<R, number>>,
  options: HalvingOptions & { resource: R },
): Promise<Study<ParamsOf<S> & Record<R, number>> & { schedule: Bracket[] }> {
  validateSpace(space);
  checkOptionKeys(options, HALVING_OPTION_KEYS, 'hyperband()');
  checkResource(options?.resource, space, 'hyperband');
  const schedule = hyperbandSchedule(options.min, options.max, options.eta ?? 3);
  const sampler = scheduleSampler('hyperband', space, options.resource, schedule, options.direction ?? 'minimize');
  const study = await runStudy(space, objective as ObjectiveSource, sampler, options);
  return Object.assign(study as unknown as Study<ParamsOf<S> & Record<R, number>>, { schedule });
}
