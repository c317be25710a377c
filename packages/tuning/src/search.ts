// search(): a study with the sampler named in its options. 'random' is randomSearch (the same
// trials for a seed, the same journal); 'tpe' models the trials so far to propose the next ones.
import { describeValue } from './describe-value';
import { NnkitError } from './errors';
import { checkOptionKeys, SEARCH_OPTION_KEYS } from './option-keys';
import { randomSampler, type RandomSearchOptions } from './random-search';
import { checkPositiveInt, type ObjectiveSource, runStudy, type Sampler } from './run';
import { type ParamsOf, type Space, validateSpace } from './space';
import type { Study } from './study';
import { tpeSampler } from './tpe-sampler';

/** The samplers {@link search} knows. */
export type SamplerName = 'tpe' | 'random';

const SAMPLERS: readonly SamplerName[] = ['tpe', 'random'];
/** Options that only the TPE sampler reads. */
const TPE_KEYS = ['constantLiar', 'startupTrials', 'eiCandidates'] as const;

/** Options of {@link search}: randomSearch's, the sampler, and TPE's own. */
export interface SearchSamplerOptions extends RandomSearchOptions {
  /** 'tpe' (tree-structured Parzen estimator, as Optuna's TPESampler) or 'random' (= randomSearch). */
  sampler: SamplerName;
  /**
   * TPE: count trials still running as the worst ones (Optuna's `constant_liar`), so that with
   * `concurrency` > 1 the trials started together do not all pile into the same region
   * (default false).
   */
  constantLiar?: boolean;
  /** TPE: random trials before the model takes over (default 10, as Optuna). */
  startupTrials?: number;
  /** TPE: candidates drawn per parameter, the best of which is tried (default 24, as Optuna). */
  eiCandidates?: number;
}

/** A sampler name as messages show it: quoted when a string (one is expected), else described. */
function quote(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : describeValue(v);
}

function checkTpeOptions(options: SearchSamplerOptions): void {
  const { constantLiar, startupTrials, eiCandidates } = options;
  if (constantLiar !== undefined && typeof constantLiar !== 'boolean') {
    throw new NnkitError('INVALID_ARGUMENT', `search(): constantLiar = ${describeValue(constantLiar)}; expected true or false`);
  }
  if (startupTrials !== undefined && (!Number.isInteger(startupTrials) || startupTrials < 0)) {
    throw new NnkitError('INVALID_ARGUMENT', `search(): startupTrials = ${describeValue(startupTrials)}; expected an integer ≥ 0`);
  }
  if (eiCandidates !== undefined) checkPositiveInt(eiCandidates, 'eiCandidates', 'search');
}

/**
 * Searches a space with the chosen sampler; seeded, resumable from its storage, parallel with
 * `concurrency`. With `sampler: 'random'` it is {@link randomSearch} (the same trials for a seed).
 * With `sampler: 'tpe'` the first `startupTrials` trials are random search's, then each trial is
 * proposed by a tree-structured Parzen estimator fitted to the trials before it, as Optuna's
 * default sampler does; a resumed study rebuilds the model from its stored trials.
 *
 * @param space - name → distribution, fixed value or `when(...)`
 * @param objective - `(params, trial) => number | Promise<number>`, or a module path/URL run in workers
 * @param options - `sampler` and `trials` (required), TPE's `constantLiar`, `startupTrials`,
 *   `eiCandidates`, and randomSearch's seed, direction, concurrency, storage, pruner, progress…
 * @returns the study
 * @example
 * const study = await search(
 *   { learningRate: logUniform(1e-4, 1), layers: intUniform(1, 4), activation: choice(['relu', 'tanh']) },
 *   async (p) => validationLoss(p),
 *   { sampler: 'tpe', trials: 60, seed: 1 },
 * );
 */
export async function search<S extends Space>(space: S, objective: ObjectiveSource<ParamsOf<S>>, options: SearchSamplerOptions): Promise<Study<ParamsOf<S>>> {
  validateSpace(space);
  checkOptionKeys(options, [...SEARCH_OPTION_KEYS, 'trials', 'sampler', ...TPE_KEYS], 'search()');
  const name = options?.sampler;
  if (!SAMPLERS.includes(name)) {
    throw new NnkitError('INVALID_ARGUMENT', `search(): sampler = ${quote(name)}; expected 'tpe' or 'random'`);
  }
  checkPositiveInt(options.trials, 'trials', 'search');
  let sampler: Sampler;
  if (name === 'random') {
    const set = TPE_KEYS.filter((k) => options[k] !== undefined);
    if (set.length > 0) {
      throw new NnkitError('INVALID_ARGUMENT', `search(): ${set.join(', ')} ${set.length === 1 ? 'applies' : 'apply'} to sampler 'tpe' only; sampler is 'random'`);
    }
    sampler = { ...randomSampler(space, options.trials), caller: 'search' };
  } else {
    checkTpeOptions(options);
    sampler = tpeSampler(space, options.direction ?? 'minimize', options);
  }
  const study = await runStudy(space, objective as ObjectiveSource, sampler, options);
  return study as unknown as Study<ParamsOf<S>>;
}
