// The result of a search, live while it runs: trials, the best one, and views of them.
import { NnkitError } from './errors';
import { type ImportanceOptions, type ParamImportance, parameterImportance } from './importance';
import type { Direction } from './pruner';
import type { TrialRecord } from './records';
import type { Params } from './space';
import { formatTable, rankTrials, type TableOptions, toCSV } from './report';

/** The JSON export of a study. */
export interface StudyJSON<P = Params> {
  direction: Direction;
  sampler: string;
  seed: number;
  best: TrialRecord<P> | null;
  trials: TrialRecord<P>[];
}

/**
 * A study: the trials of one search. Returned by `randomSearch`, `gridSearch`, `coarseToFine`,
 * `successiveHalving`, `hyperband` and `loadStudy`.
 *
 * @example
 * const study = await randomSearch(space, objective, { trials: 20, direction: 'maximize' });
 * console.log(study.best.params, study.best.value);
 * console.log(study.table({ top: 5 }));
 */
export class Study<P = Params> {
  readonly direction: Direction;
  readonly sampler: string;
  readonly seed: number;
  #trials: TrialRecord<P>[];

  /**
   * @param direction - whether lower or higher values are better
   * @param sampler - the name of the search that produced the trials
   * @param seed - the study's seed
   * @param trials - the records, kept by reference so the study stays live while it runs
   */
  constructor(direction: Direction, sampler: string, seed: number, trials: TrialRecord<P>[]) {
    this.direction = direction;
    this.sampler = sampler;
    this.seed = seed;
    this.#trials = trials;
  }

  /** Every trial, in id order: params, value, state, durationMs, intermediate values, attempt. */
  get trials(): readonly TrialRecord<P>[] {
    return this.#trials;
  }

  /** The completed trial with the best value; throws `NO_COMPLETED_TRIALS` when there is none. */
  get best(): TrialRecord<P> {
    const best = this.bestOrUndefined();
    if (!best) {
      const states = this.#trials.map((t) => t.state);
      throw new NnkitError(
        'NO_COMPLETED_TRIALS',
        `study.best: none of the ${states.length} trials completed (${states.filter((s) => s === 'failed').length} failed, ${states.filter((s) => s === 'pruned').length} pruned); expected at least one completed trial`,
      );
    }
    return best;
  }

  /**
   * The best completed trial, or undefined when none completed (for progress displays).
   *
   * @returns the best trial or undefined
   * @example
   * study.bestOrUndefined()?.value;
   */
  bestOrUndefined(): TrialRecord<P> | undefined {
    const ranked = rankTrials(this.#trials, this.direction);
    return ranked[0]?.state === 'complete' ? ranked[0] : undefined;
  }

  /**
   * The trials as an aligned text table, best first.
   *
   * @param options - `top` rows, `sort` order
   * @returns the table
   * @example
   * console.log(study.table({ top: 10 }));
   */
  table(options?: TableOptions): string {
    return formatTable(this.#records(), this.direction, options);
  }

  /**
   * The trials as CSV, one row per trial, one column per parameter.
   *
   * @returns the CSV text
   * @example
   * writeFileSync('trials.csv', study.toCSV());
   */
  toCSV(): string {
    return toCSV(this.#records());
  }

  /**
   * The study as plain data (what `JSON.stringify(study)` writes).
   *
   * @returns direction, sampler, seed, best (or null) and trials
   * @example
   * writeFileSync('study.json', JSON.stringify(study, null, 2));
   */
  toJSON(): StudyJSON<P> {
    return {
      direction: this.direction,
      sampler: this.sampler,
      seed: this.seed,
      best: structuredClone(this.bestOrUndefined() ?? null),
      trials: structuredClone(this.#trials),
    };
  }

  /**
   * Which hyperparameter's value best explains the objective (see `parameterImportance`).
   *
   * @param options - binning of numeric parameters
   * @returns parameters, most important first
   * @example
   * study.importance()[0].param; // e.g. 'learningRate'
   */
  importance(options?: ImportanceOptions): ParamImportance[] {
    return parameterImportance(this.#records(), options);
  }

  // The views only read params as plain values; typed params (with optional keys) are not
  // assignable to the untyped record shape, though every value in them is one.
  #records(): TrialRecord[] {
    return this.#trials as unknown as TrialRecord[];
  }
}
