// The tree-structured Parzen estimator (TPE) sampler, as Optuna 3.1's TPESampler does it with its
// defaults (independent per parameter, optuna/samplers/_tpe/sampler.py): after 10 random start-up
// trials, the finished trials are split by value into the best γ(n) = min(⌈n/10⌉, 25) ("below")
// and the rest ("above"); each parameter gets a Parzen estimator l(x) of the good trials' values
// and g(x) of the others'; 24 candidates are drawn from l and the one with the highest l(x)/g(x)
// is taken. Every trial draws from its own stream (seed, id) and sees only the trials before it,
// so with one trial at a time a resumed study plans exactly what an uninterrupted one would have.
import type { ChoiceDistribution, NumericDistribution, ParamValue } from './distributions';
import { isDistribution, isNumeric } from './distributions';
import type { TrialRecord } from './records';
import { createSearchRng, type SearchRng } from './rng';
import type { Direction } from './pruner';
import type { Sampler } from './run';
import { isConditional, type Params, sampleSpace, type Space } from './space';
import { type ParzenDomain, parzenEstimator } from './tpe-parzen';

/** Optuna's `n_startup_trials` default: random trials before the model takes over. */
export const STARTUP_TRIALS = 10;
/** Optuna's `n_ei_candidates` default: candidates drawn from l(x) per parameter. */
export const EI_CANDIDATES = 24;
/** Optuna's `default_gamma` caps the good group at this many trials. */
const MAX_BELOW = 25;

/** Options of {@link tpeSampler}. */
export interface TpeSamplerOptions {
  /** Total number of trials. */
  trials: number;
  /** Random trials before TPE starts (default 10, Optuna's). */
  startupTrials?: number;
  /** Candidates drawn per parameter (default 24, Optuna's). */
  eiCandidates?: number;
  /**
   * Count trials still running as the worst ones (Optuna's `constant_liar`), so that parallel
   * workers planning at the same time spread out instead of all trying the same good region.
   */
  constantLiar?: boolean;
}

/**
 * Optuna's `default_gamma(n)`: how many of n finished trials form the good group.
 *
 * @param n - the number of complete and pruned trials
 * @returns min(⌈0.1·n⌉, 25)
 * @example
 * tpeGamma(40); // 4
 */
export function tpeGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), MAX_BELOW);
}

/** How a trial ranks, compared lexicographically: [−steps reached, signed value], lower is better. */
type Score = readonly [number, number];

/**
 * The rank key Optuna gives a trial: complete trials first by value; pruned trials after them,
 * those that got further first, then by their last intermediate value; running trials (only with
 * the constant liar) last. Failed trials take no part.
 */
function scoreOf(r: TrialRecord, sign: number, constantLiar: boolean): Score | undefined {
  if (r.state === 'complete') return [Number.NEGATIVE_INFINITY, sign * r.value];
  if (r.state === 'running') return constantLiar ? [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY] : undefined;
  if (r.state !== 'pruned') return undefined;
  if (r.intermediate.length === 0) return [1, 0];
  const last = r.intermediate.reduce((a, b) => (b.step > a.step ? b : a));
  return [-last.step, Number.isNaN(last.value) ? Number.POSITIVE_INFINITY : sign * last.value];
}

/** The trials that inform the model, split into the good group and the rest, each oldest first. */
export interface TpeSplit {
  below: TrialRecord[];
  above: TrialRecord[];
  /** Complete and pruned trials (running ones are not counted even when they take part). */
  finished: number;
}

/**
 * Splits the trials before a new one into Optuna's "below" (best γ(n)) and "above" groups.
 *
 * @param records - the study's trials, by id
 * @param direction - 'minimize' or 'maximize'
 * @param constantLiar - count running trials as the worst
 * @returns both groups in trial order, and n
 * @example
 * splitTrials(study.trials, 'minimize', false).below; // the ⌈n/10⌉ best trials
 */
export function splitTrials(records: readonly TrialRecord[], direction: Direction, constantLiar: boolean): TpeSplit {
  const sign = direction === 'minimize' ? 1 : -1;
  const scored: { rec: TrialRecord; score: Score; order: number }[] = [];
  for (const rec of records) {
    const score = scoreOf(rec, sign, constantLiar);
    if (score) scored.push({ rec, score, order: scored.length });
  }
  const finished = scored.filter((s) => s.rec.state !== 'running').length;
  const nBelow = tpeGamma(finished);
  const ranked = [...scored].sort((a, b) => a.score[0] - b.score[0] || a.score[1] - b.score[1] || a.order - b.order);
  const below = new Set(ranked.slice(0, nBelow).map((s) => s.order));
  return {
    below: scored.filter((s) => below.has(s.order)).map((s) => s.rec),
    above: scored.filter((s) => !below.has(s.order)).map((s) => s.rec),
    finished,
  };
}

/** A distribution seen from the model: its internal scale and the way back. */
interface ModelledParam {
  domain: ParzenDomain;
  /** The internal value of a param value, or undefined when it lies outside the distribution. */
  toInternal(v: ParamValue): number | undefined;
  fromInternal(x: number): ParamValue;
}

function modelOfChoice(d: ChoiceDistribution): ModelledParam {
  return {
    domain: { kind: 'categorical', choices: d.values.length },
    toInternal: (v) => {
      const i = d.values.indexOf(v);
      return i < 0 ? undefined : i;
    },
    fromInternal: (x) => d.values[x],
  };
}

/**
 * The internal scale of each numeric kind, as Optuna maps its distributions: log ranges in
 * natural log, integers as cells [k − ½, k + ½] (log integers: the log of [low − ½, high + ½]).
 * A β of `oneMinusLogUniform` is modelled as log(1 − β), like a log-uniform 1 − β.
 */
function modelOfNumber(d: NumericDistribution): ModelledParam {
  const clamp = (x: number) => Math.min(d.high, Math.max(d.low, x));
  const checked = (v: ParamValue, x: number) => (typeof v === 'number' && Number.isFinite(x) ? x : undefined);
  switch (d.kind) {
    case 'logUniform':
      return { domain: { kind: 'numeric', low: Math.log(d.low), high: Math.log(d.high) }, toInternal: (v) => checked(v, Math.log(v as number)), fromInternal: (x) => clamp(Math.exp(x)) };
    case 'oneMinusLogUniform':
      return {
        domain: { kind: 'numeric', low: Math.log(1 - d.high), high: Math.log(1 - d.low) },
        toInternal: (v) => checked(v, Math.log(1 - (v as number))),
        fromInternal: (x) => clamp(1 - Math.exp(x)),
      };
    case 'intUniform':
      return { domain: { kind: 'numeric', low: d.low - 0.5, high: d.high + 0.5, step: 1 }, toInternal: (v) => checked(v, v as number), fromInternal: (x) => clamp(Math.round(x)) };
    case 'intLogUniform':
      return {
        domain: { kind: 'numeric', low: Math.log(d.low - 0.5), high: Math.log(d.high + 0.5) },
        toInternal: (v) => checked(v, Math.log(v as number)),
        fromInternal: (x) => clamp(Math.round(Math.exp(x))),
      };
    default:
      return { domain: { kind: 'numeric', low: d.low, high: d.high }, toInternal: (v) => checked(v, v as number), fromInternal: clamp };
  }
}

function observations(records: readonly TrialRecord[], key: string, model: ModelledParam): number[] {
  const out: number[] = [];
  for (const r of records) {
    if (!(key in r.params)) continue;
    const x = model.toInternal(r.params[key]);
    if (x !== undefined) out.push(x);
  }
  return out;
}

/**
 * One parameter's TPE draw: the candidate from l(x) with the highest log l(x) − log g(x)
 * (the first on ties, as NumPy's argmax).
 */
function sampleParam(key: string, model: ModelledParam, split: TpeSplit, candidates: number, rng: SearchRng): ParamValue {
  const l = parzenEstimator(observations(split.below, key, model), model.domain);
  const g = parzenEstimator(observations(split.above, key, model), model.domain);
  let best: ParamValue = null;
  let bestScore = Number.NEGATIVE_INFINITY;
  let first = true;
  for (const x of l.sample(rng, candidates)) {
    const value = model.fromInternal(x);
    // Scored where it lands: an integer candidate by its rounded cell, as Optuna does.
    const at = model.domain.kind === 'categorical' ? x : (model.toInternal(value) as number);
    const score = l.logPdf(at) - g.logPdf(at);
    if (first || score > bestScore) {
      best = value;
      bestScore = score;
      first = false;
    }
  }
  return best;
}

/**
 * The TPE sampler for {@link runStudy}: trial `id` is planned from the trials with smaller ids.
 *
 * @param space - the search space
 * @param direction - the study's direction (which values are good)
 * @param options - trials, and Optuna's startup trials, candidates and constant liar
 * @returns the sampler (its name, 'tpe', is recorded in the study's storage)
 * @example
 * await runStudy(space, objective, tpeSampler(space, 'minimize', { trials: 40 }), { seed: 1 });
 */
export function tpeSampler(space: Space, direction: Direction, options: TpeSamplerOptions): Sampler {
  const { trials, startupTrials = STARTUP_TRIALS, eiCandidates = EI_CANDIDATES, constantLiar = false } = options;
  const models = new Map<string, ModelledParam>();
  for (const [key, entry] of Object.entries(space)) {
    const inner = isConditional(entry) ? entry.entry : entry;
    if (isDistribution(inner)) models.set(key, isNumeric(inner) ? modelOfNumber(inner) : modelOfChoice(inner));
  }
  return {
    name: 'tpe',
    caller: 'search',
    total: trials,
    plan(id, records, seed) {
      if (id >= trials) return 'done';
      // Oldest first, as Optuna orders trials by number: the weights favour recent trials and
      // ties rank the older first, whatever order a shared storage lists its trials in.
      const before = records.filter((r) => r.id < id).sort((a, b) => a.id - b.id);
      const split = splitTrials(before, direction, constantLiar);
      const rng = createSearchRng(seed, id);
      // The start-up trials are exactly random search's trials of the same seed.
      if (split.finished < startupTrials) return { params: sampleSpace(space, rng), meta: {} };
      const params: Params = {};
      for (const [key, entry] of Object.entries(space)) {
        if (isConditional(entry) && !entry.condition({ ...params })) continue;
        const model = models.get(key);
        params[key] = model ? sampleParam(key, model, split, eiCandidates, rng) : ((isConditional(entry) ? entry.entry : entry) as ParamValue);
      }
      return { params, meta: {} };
    },
  };
}
