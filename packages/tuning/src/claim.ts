// Claiming the next trial of a shared study. This runs inside the storage's cross-process lock
// (`storage.exclusive`), on every event any process has stored, so it is a pure function of them:
// the same events give the same claim, whichever process asks.
//
// A shared study has no re-runs in place. A trial whose heartbeats stopped (its process died) is
// marked failed for good and its params run again as a new trial, `meta.retryOf` naming it — as
// Optuna's heartbeat and RetryFailedTrialCallback do. Samplers, however, see the study as if each
// retried trial had been run again under its own id: a retry replaces the trial it retries, and
// the trials a sampler planned are numbered 0, 1, 2, … whatever the retries in between. So
// `trials: 36` gives 36 finished trials however many processes died, and a sampler that plans by
// id (the random stream `(seed, id)`, a grid point, a rung) plans exactly as in one process.
import { NnkitError } from './errors';
import type { Direction } from './pruner';
import { type Replayed, replay, type TrialRecord } from './records';
import type { Sampler } from './run';
import { describeSpace, type Space } from './space';
import type { ExclusiveResult, StudyEvent, StudyHeaderEvent, TrialMeta } from './storage';

/** The call that resumes a study of a sampler name ('tpe' is not a function of its own). */
export function resumeCall(sampler: string): string {
  return sampler === 'tpe' ? "search({ sampler: 'tpe' })" : `${sampler}()`;
}

/** Starts the error of a trial failed because its heartbeats stopped; such trials are retried. */
export const STALE_ERROR = 'stale: ';

/** What a process asks for when it claims a trial. */
export interface ClaimContext {
  where: string;
  space: Space;
  fingerprint: string;
  direction: Direction;
  sampler: Sampler;
  /** The seed of a new study (a resumed one keeps the stored seed). */
  seed: number;
  /** The seed given in the options, which must match a stored study's. */
  givenSeed: number | undefined;
  maxRetries: number;
  /** `'<hostname>:<pid>'` of this process. */
  owner: string;
  /** Ids of the trials this process runs now (never judged stale by it). */
  local: ReadonlySet<number>;
  /** Whether this process may start a trial now (it has a free slot). */
  canRun: boolean;
  now: number;
}

/** The claim: a trial to run, nothing yet (trials running elsewhere), or the study is finished. */
export type Claim = { kind: 'run'; record: TrialRecord; restore: unknown } | { kind: 'wait' } | { kind: 'done' };

/** The result of {@link claimTrial}: the claim, and the study as it stands after it. */
export interface ClaimResult {
  claim: Claim;
  replayed: Replayed;
  seed: number;
  /**
   * Ids of running trials that no nnkit process claimed (no owner): trials Python's Optuna runs in
   * the same journal. Optuna's journal never judges them stale, so nnkit never retries them, and a
   * process with nothing left to claim does not wait for them (it would wait forever for a Python
   * process that died).
   */
  unowned: number[];
}

export function metaOf(rec: TrialRecord): TrialMeta {
  const { round, bracket, rung, resource, configId, retryOf } = rec;
  return Object.fromEntries(Object.entries({ round, bracket, rung, resource, configId, retryOf }).filter(([, v]) => v !== undefined));
}

/** Whether a finished trial was failed for lack of heartbeats (and so may be retried). */
export function isStale(rec: TrialRecord): boolean {
  return rec.state === 'failed' && rec.error?.startsWith(STALE_ERROR) === true;
}

/**
 * The study as its sampler sees it: one record per planned trial, numbered from 0, holding the
 * latest retry of it; a stale trial that will be retried shows as 'running'. Also lists the stale
 * trials to retry next, oldest first.
 *
 * @param records - every trial of the study, by id
 * @param maxRetries - retries allowed per planned trial
 * @returns the sampler's view and the trials to retry
 * @example
 * const { view, toRetry } = samplerView(records, 3);
 */
export function samplerView(records: readonly TrialRecord[], maxRetries: number): { view: TrialRecord[]; toRetry: TrialRecord[] } {
  const retryOf = new Map<number, TrialRecord>();
  for (const r of records) if (r.retryOf !== undefined) retryOf.set(r.retryOf, r);
  const view: TrialRecord[] = [];
  const toRetry: TrialRecord[] = [];
  for (const root of records) {
    if (root.retryOf !== undefined) continue;
    let last = root;
    let retries = 0;
    for (let next = retryOf.get(last.id); next; next = retryOf.get(last.id)) {
      last = next;
      retries++;
    }
    const pending = isStale(last) && retries < maxRetries;
    if (pending) toRetry.push(last);
    view.push({ ...last, id: view.length, params: root.params, state: pending ? 'running' : last.state, retryOf: undefined });
  }
  return { view, toRetry: toRetry.sort((a, b) => a.id - b.id) };
}

function checkHeader(header: NonNullable<Replayed['header']>, ctx: ClaimContext): void {
  const { where } = ctx;
  if (header.fingerprint !== ctx.fingerprint) {
    throw new NnkitError(
      'STORAGE_MISMATCH',
      `${where}(): the storage holds a study of space ${header.fingerprint} (${Object.keys(header.space).join(', ')}) but this space is ${ctx.fingerprint} (${Object.keys(ctx.space).join(', ')}); use another study name or the original space`,
    );
  }
  if (header.direction !== ctx.direction) {
    throw new NnkitError('STORAGE_MISMATCH', `${where}(): the storage holds a study to ${header.direction}; this one would ${ctx.direction}`);
  }
  if (header.sampler !== ctx.sampler.name) {
    throw new NnkitError('STORAGE_MISMATCH', `${where}(): the storage holds a ${header.sampler} study; join it with ${resumeCall(header.sampler)} or use another study name`);
  }
  if (ctx.givenSeed !== undefined && header.seed !== ctx.givenSeed) {
    throw new NnkitError('STORAGE_MISMATCH', `${where}(): the storage holds a study with seed ${header.seed}; this one has seed ${ctx.givenSeed} (leave seed out to join it)`);
  }
}

/**
 * Claims the next trial of a shared study: writes the header of a new study, marks stale trials
 * failed, then starts a retry of a stale trial, or the sampler's next trial. Meant to run as the
 * function of `storage.exclusive`.
 *
 * @param events - every stored event
 * @param stale - ids of trials whose heartbeats stopped
 * @param ctx - the claiming process
 * @returns the events to append and the claim
 * @example
 * const { claim } = await storage.exclusive((events, stale) => claimTrial(events, stale, ctx), warn);
 */
export function claimTrial(events: readonly StudyEvent[], stale: ReadonlySet<number>, ctx: ClaimContext): ExclusiveResult<ClaimResult> {
  const append: StudyEvent[] = [];
  const { header, records, checkpoints } = replay(events);
  if (header) checkHeader(header, ctx);
  else {
    append.push({
      type: 'study', version: 1, fingerprint: ctx.fingerprint, space: describeSpace(ctx.space),
      direction: ctx.direction, sampler: ctx.sampler.name, seed: ctx.seed, time: ctx.now,
    });
  }
  const seed = header?.seed ?? ctx.seed;
  const owners = new Map<number, string>();
  for (const e of events) if (e.type === 'start' && e.owner !== undefined) owners.set(e.id, e.owner);
  for (const r of records) {
    if (r.state !== 'running' || !stale.has(r.id) || ctx.local.has(r.id)) continue;
    const error = `${STALE_ERROR}its heartbeats stopped (claimed by ${owners.get(r.id) ?? 'an unknown process'})`;
    append.push({ type: 'finish', id: r.id, params: r.params, meta: metaOf(r), attempt: r.attempt, state: 'failed', value: 'NaN', durationMs: 0, error, time: ctx.now });
    // The records are kept up to date with this claim's events rather than replayed again.
    Object.assign(r, { state: 'failed', value: Number.NaN, error });
  }
  const current = { records, checkpoints, header: header ?? (append[0] as StudyHeaderEvent) };
  const { view, toRetry } = samplerView(current.records, ctx.maxRetries);
  // Another process's running trial is waited for, since it may die and need a retry; a trial no
  // nnkit process claimed (Python's) can never be retried, so waiting for it could only hang.
  const running = current.records.filter((r) => r.state === 'running');
  const unowned = running.filter((r) => !owners.has(r.id)).map((r) => r.id);
  const othersRunning = running.some((r) => owners.has(r.id) && !ctx.local.has(r.id));
  const busy = othersRunning || ctx.local.size > 0 || toRetry.length > 0;
  if (!ctx.canRun) return { append, result: { claim: { kind: busy ? 'wait' : 'done' }, replayed: current, seed, unowned } };

  const id = current.records.length > 0 ? Math.max(...current.records.map((r) => r.id)) + 1 : 0;
  let params: TrialRecord['params'];
  let meta: TrialMeta;
  let restore: unknown;
  const retried = toRetry[0];
  if (retried) {
    params = retried.params;
    meta = { ...metaOf(retried), retryOf: retried.id };
    // The latest checkpoint along the chain of retries: a retry goes on where the dead trial stopped.
    for (let r: TrialRecord | undefined = retried; r && restore === undefined; r = current.records.find((x) => x.id === r?.retryOf)) {
      restore = current.checkpoints.get(r.id);
    }
  } else {
    const plan = ctx.sampler.plan(view.length, view, seed);
    if (plan === 'wait' || plan === 'done') {
      // A sampler waiting while no nnkit trial runs or awaits a retry waits on unowned trials only:
      // that could last forever, so the study ends here instead.
      const kind = busy || (plan === 'wait' && unowned.length === 0) ? 'wait' : 'done';
      return { append, result: { claim: { kind }, replayed: current, seed, unowned } };
    }
    params = plan.params;
    meta = plan.meta;
  }
  append.push({ type: 'start', id, params, meta, attempt: 1, time: ctx.now, owner: ctx.owner });
  const record: TrialRecord = { id, params, ...meta, value: Number.NaN, state: 'running', durationMs: 0, intermediate: [], attempt: 1 };
  records.push(record);
  return { append, result: { claim: { kind: 'run', record: { ...record, intermediate: [] }, restore }, replayed: current, seed, unowned } };
}
