// Grid search, kept for comparison with random search: every combination of a few points per
// parameter, points evenly spaced on each parameter's own scale (a log grid for logUniform).
import { type ChoiceDistribution, isDistribution, type ParamValue } from './distributions';
import { NnkitError } from './errors';
import { checkOptionKeys, SEARCH_OPTION_KEYS } from './option-keys';
import { checkPositiveInt, type ObjectiveSource, runStudy, type Sampler, type SearchOptions } from './run';
import { isConditional, numericOf, type Params, type ParamsOf, type Space, validateSpace } from './space';
import type { Study } from './study';

/** Options of {@link gridSearch}. */
export interface GridSearchOptions extends SearchOptions {
  /** Points per continuous parameter (default 5); integer ranges with fewer values use them all. */
  gridSize?: number;
  /** Stop after this many grid points (default: the whole grid). */
  trials?: number;
}

function valuesOf(entry: Space[string], gridSize: number): ParamValue[] {
  const inner = isConditional(entry) ? entry.entry : entry;
  const d = numericOf(entry);
  if (d) return d.grid(gridSize);
  if (isDistribution(inner)) return [...(inner as ChoiceDistribution).values];
  return [inner as ParamValue];
}

/**
 * Every point of the grid, in odometer order (the last key varies fastest). Conditional keys are
 * dropped where their condition is false, and points that become identical are listed once.
 *
 * @param space - the search space
 * @param gridSize - points per continuous parameter
 * @returns the grid points
 * @example
 * gridPoints({ a: choice([1, 2]), b: choice(['x', 'y']) }, 5); // 4 points
 */
export function gridPoints(space: Space, gridSize = 5): Params[] {
  validateSpace(space);
  checkPositiveInt(gridSize, 'gridSize', 'gridSearch');
  const keys = Object.keys(space);
  const axes = keys.map((k) => valuesOf(space[k], gridSize));
  const seen = new Set<string>();
  const out: Params[] = [];
  const walk = (i: number, acc: Params) => {
    if (i === keys.length) {
      const id = JSON.stringify(acc);
      if (!seen.has(id)) {
        seen.add(id);
        out.push({ ...acc });
      }
      return;
    }
    const entry = space[keys[i]];
    if (isConditional(entry) && !entry.condition({ ...acc })) return walk(i + 1, acc);
    for (const v of axes[i]) walk(i + 1, { ...acc, [keys[i]]: v });
  };
  walk(0, {});
  return out;
}

/**
 * Grid search: tries every grid point once, in order. Deterministic (the seed is unused).
 *
 * @param space - the search space
 * @param objective - a function, or a module path/URL run in workers
 * @param options - gridSize, trials cap, and the common options
 * @returns the study
 * @example
 * const study = await gridSearch({ lr: logUniform(1e-4, 1), layers: intUniform(1, 3) }, objective, { gridSize: 5 });
 * study.trials.length; // 15
 */
export async function gridSearch<S extends Space>(space: S, objective: ObjectiveSource<ParamsOf<S>>, options: GridSearchOptions = {}): Promise<Study<ParamsOf<S>>> {
  checkOptionKeys(options, [...SEARCH_OPTION_KEYS, 'gridSize', 'trials'], 'gridSearch()');
  const points = gridPoints(space, options.gridSize ?? 5);
  if (options.trials !== undefined) checkPositiveInt(options.trials, 'trials', 'gridSearch');
  const n = Math.min(points.length, options.trials ?? points.length);
  if (n === 0) throw new NnkitError('EMPTY_SPACE', 'gridSearch(): the grid has no points; expected at least one');
  const sampler: Sampler = {
    name: 'gridSearch',
    total: n,
    plan: (id) => (id < n ? { params: points[id], meta: {} } : 'done'),
  };
  const study = await runStudy(space, objective as ObjectiveSource, sampler, { ...options, seed: options.seed ?? 0 });
  return study as unknown as Study<ParamsOf<S>>;
}
