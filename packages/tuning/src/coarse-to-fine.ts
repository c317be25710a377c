// Coarse to fine: search the whole space at random, then zoom in. Each round's numeric ranges are
// the hull of the best `keep` trials so far, padded by a margin, on each parameter's own scale (so a
// log-scale learning rate zooms by decades, β by "averaging window"), and never wider than the
// previous round's. Choices and fixed values are searched unchanged in every round.
import { NnkitError } from './errors';
import type { TrialRecord } from './records';
import { rankTrials } from './report';
import { createSearchRng } from './rng';
import { checkOptionKeys, SEARCH_OPTION_KEYS } from './option-keys';
import { checkPositiveInt, type ObjectiveSource, runStudy, type Sampler, type SearchOptions } from './run';
import { narrowSpace, numericOf, type ParamsOf, sampleSpace, type Space, validateSpace } from './space';
import type { Direction } from './pruner';
import type { Study } from './study';

/** Options of {@link coarseToFine}. */
export interface CoarseToFineOptions extends SearchOptions {
  /** Number of rounds (default 3). */
  rounds?: number;
  /** Trials in each round (default 20). */
  trialsPerRound?: number;
  /** How many of the best trials so far define the next round's ranges (default max(2, trialsPerRound / 5)). */
  keep?: number;
  /** Padding on each side of the hull, as a fraction of the previous round's width (default 0.1). */
  margin?: number;
}

/** Numeric ranges of one round: name → [low, high]. */
export type RoundRanges = Record<string, [number, number]>;

/**
 * The numeric ranges of a round after another: hull of the best `keep` completed trials, padded
 * by `margin` × the previous width on the own scale, clipped to the previous range.
 *
 * @param space - the original space
 * @param previous - the previous round's ranges
 * @param trials - completed trials of all earlier rounds
 * @param direction - which values are better
 * @param keep - how many best trials to zoom around
 * @param margin - padding fraction
 * @returns the next round's ranges
 * @example
 * nextRanges(space, initialRanges(space), study.trials, 'minimize', 4, 0.1);
 */
export function nextRanges(space: Space, previous: RoundRanges, trials: readonly TrialRecord[], direction: Direction, keep: number, margin: number): RoundRanges {
  const best = rankTrials(trials, direction)
    .filter((t) => t.state === 'complete')
    .slice(0, keep);
  const out: RoundRanges = {};
  for (const [key, [low, high]] of Object.entries(previous)) {
    const d = numericOf(space[key])!;
    const values = best.map((t) => t.params[key]).filter((v): v is number => typeof v === 'number');
    if (values.length === 0) {
      out[key] = [low, high];
      continue;
    }
    const [pa, pb] = [d.toScale(low), d.toScale(high)].sort((a, b) => a - b);
    const s = values.map((v) => d.toScale(v));
    const pad = margin * (pb - pa);
    const a = Math.max(pa, Math.min(...s) - pad);
    const b = Math.min(pb, Math.max(...s) + pad);
    let [lo, hi] = [d.fromScale(a), d.fromScale(b)].sort((x, y) => x - y);
    lo = Math.max(low, lo);
    hi = Math.min(high, hi);
    if (d.integer) {
      // Round outwards so that every kept integer value stays inside.
      lo = Math.max(low, Math.floor(lo + 1e-9));
      hi = Math.min(high, Math.ceil(hi - 1e-9));
    }
    out[key] = [lo, hi];
  }
  return out;
}

/**
 * The first round's ranges: every numeric entry's full range.
 *
 * @param space - the space
 * @returns name → [low, high]
 * @example
 * initialRanges({ lr: logUniform(1e-4, 1) }); // { lr: [0.0001, 1] }
 */
export function initialRanges(space: Space): RoundRanges {
  const out: RoundRanges = {};
  for (const key of Object.keys(space)) {
    const d = numericOf(space[key]);
    if (d) out[key] = [d.low, d.high];
  }
  return out;
}

/**
 * Coarse-to-fine random search: `rounds` rounds of `trialsPerRound` random trials, each round
 * searching narrower numeric ranges around the best `keep` trials so far. Trials carry their
 * `round`; the returned study also lists each round's `ranges`.
 *
 * @param space - the search space
 * @param objective - a function, or a module path/URL run in workers
 * @param options - rounds, trialsPerRound, keep, margin, and the common options
 * @returns the study, with `ranges[r]` the numeric ranges searched in round r
 * @example
 * const study = await coarseToFine(space, objective, { rounds: 3, trialsPerRound: 20, keep: 4, seed: 1 });
 * study.ranges[2].learningRate; // e.g. [0.0021, 0.0094]
 */
export async function coarseToFine<S extends Space>(
  space: S,
  objective: ObjectiveSource<ParamsOf<S>>,
  options: CoarseToFineOptions = {},
): Promise<Study<ParamsOf<S>> & { ranges: RoundRanges[] }> {
  validateSpace(space);
  checkOptionKeys(options, [...SEARCH_OPTION_KEYS, 'rounds', 'trialsPerRound', 'keep', 'margin'], 'coarseToFine()');
  const { rounds = 3, trialsPerRound = 20, margin = 0.1 } = options;
  checkPositiveInt(rounds, 'rounds', 'coarseToFine');
  checkPositiveInt(trialsPerRound, 'trialsPerRound', 'coarseToFine');
  const keep = options.keep ?? Math.max(2, Math.round(trialsPerRound / 5));
  checkPositiveInt(keep, 'keep', 'coarseToFine');
  if (!(margin >= 0 && margin <= 1)) {
    throw new NnkitError('INVALID_ARGUMENT', `coarseToFine(): margin ${margin}; expected a fraction in [0, 1]`);
  }
  const direction = options.direction ?? 'minimize';
  const ranges: RoundRanges[] = [initialRanges(space)];
  const sampler: Sampler = {
    name: 'coarseToFine',
    total: rounds * trialsPerRound,
    plan(id, records, seed) {
      const round = Math.floor(id / trialsPerRound);
      if (round >= rounds) return 'done';
      while (ranges.length <= round) {
        const r = ranges.length;
        const earlier = records.filter((t) => t.id < r * trialsPerRound);
        if (earlier.length < r * trialsPerRound || earlier.some((t) => t.state === 'running')) return 'wait';
        ranges.push(nextRanges(space, ranges[r - 1], earlier, direction, keep, margin));
      }
      const narrowed = narrowSpace(space, ranges[round]);
      return { params: sampleSpace(narrowed, createSearchRng(seed, id)), meta: { round } };
    },
  };
  const study = await runStudy(space, objective as ObjectiveSource, sampler, options);
  return Object.assign(study as unknown as Study<ParamsOf<S>>, { ranges });
}
