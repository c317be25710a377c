// Random search — the default advice: with a handful of important hyperparameters among many, n
// random trials try n distinct values of each, where a grid of the same size tries only n^(1/d).
import { createSearchRng } from './rng';
import { checkOptionKeys, SEARCH_OPTION_KEYS } from './option-keys';
import { checkPositiveInt, type ObjectiveSource, runStudy, type Sampler, type SearchOptions } from './run';
import { type ParamsOf, sampleSpace, type Space, validateSpace } from './space';
import type { Study } from './study';

/** Options of {@link randomSearch}. */
export interface RandomSearchOptions extends SearchOptions {
  /** Total number of trials, counting those already in the storage when resuming. */
  trials: number;
}

/**
 * The random sampler: trial `id` draws from its own stream `(seed, id)`.
 *
 * @param space - the search space
 * @param trials - how many trials in total
 * @returns the sampler
 * @example
 * await runStudy(space, objective, randomSampler(space, 20), { seed: 1 });
 */
export function randomSampler(space: Space, trials: number): Sampler {
  return {
    name: 'randomSearch',
    total: trials,
    plan: (id, _records, seed) => (id < trials ? { params: sampleSpace(space, createSearchRng(seed, id)), meta: {} } : 'done'),
  };
}

/**
 * Random search over a space, seeded and reproducible; resumable from its storage.
 *
 * @param space - name → distribution, fixed value or `when(...)`
 * @param objective - `(params, trial) => number | Promise<number>`, or a module path/URL run in workers;
 *   `params` is typed from the space (numbers for ranges, the listed values for a choice)
 * @param options - `trials` (required), seed, direction, concurrency, storage, pruner, progress
 * @returns the study
 * @example
 * const study = await randomSearch(
 *   { learningRate: logUniform(1e-4, 1), beta: oneMinusLogUniform(0.9, 0.999) },
 *   async ({ learningRate, beta }) => train(learningRate, beta),
 *   { trials: 50, seed: 1, direction: 'maximize' },
 * );
 */
export async function randomSearch<S extends Space>(space: S, objective: ObjectiveSource<ParamsOf<S>>, options: RandomSearchOptions): Promise<Study<ParamsOf<S>>> {
  validateSpace(space);
  checkOptionKeys(options, [...SEARCH_OPTION_KEYS, 'trials'], 'randomSearch()');
  checkPositiveInt(options?.trials, 'trials', 'randomSearch');
  const study = await runStudy(space, objective as ObjectiveSource, randomSampler(space, options.trials), options);
  return study as unknown as Study<ParamsOf<S>>;
}
