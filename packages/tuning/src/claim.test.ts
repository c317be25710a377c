// Claims of a shared study, decided from stored events alone. References: the random sampler's
// stream (seed, k) drawn directly, and hand-written event lists.
import { describe, expect, it } from 'vitest';
import { type ClaimContext, claimTrial, samplerView, STALE_ERROR } from './claim';
import { intUniform, logUniform } from './distributions';
import type { TrialRecord } from './records';
import { randomSampler } from './random-search';
import { createSearchRng } from './rng';
import { describeSpace, type Params, sampleSpace, spaceFingerprint } from './space';
import type { StudyEvent } from './storage';

const space = { lr: logUniform(1e-4, 1), units: intUniform(1, 64) };
const SEED = 11;
const draw = (k: number) => sampleSpace(space, createSearchRng(SEED, k));
const ctx = (over: Partial<ClaimContext> = {}): ClaimContext => ({
  where: 'randomSearch', space, fingerprint: spaceFingerprint(space), direction: 'minimize', sampler: randomSampler(space, 3),
  seed: SEED, givenSeed: undefined, maxRetries: 3, owner: 'here:1#a', local: new Set(), canRun: true, now: 1000, ...over,
});
const header: StudyEvent = { type: 'study', version: 1, fingerprint: spaceFingerprint(space), space: describeSpace(space), direction: 'minimize', sampler: 'randomSearch', seed: SEED, time: 0 };
const start = (id: number, params: Params, retryOf?: number): StudyEvent => ({ type: 'start', id, params, meta: retryOf === undefined ? {} : { retryOf }, attempt: 1, time: 0, owner: 'there:2#b' });
const finish = (id: number, value: number): StudyEvent => ({ type: 'finish', id, state: 'complete', value, durationMs: 1, time: 0 });
const staleFinish = (id: number): StudyEvent => ({ type: 'finish', id, state: 'failed', value: 'NaN', durationMs: 0, error: `${STALE_ERROR}gone`, time: 0 });

describe('claimTrial', () => {
  it('starts a new study: writes its header, then trial 0 with the draw (seed, 0)', () => {
    const { append, result } = claimTrial([], new Set(), ctx());
    expect(append.map((e) => e.type)).toEqual(['study', 'start']);
    expect(append[1]).toMatchObject({ id: 0, params: draw(0), owner: 'here:1#a' });
    expect(result.claim).toMatchObject({ kind: 'run', record: { id: 0, params: draw(0) } });
  });

  it('fails a stale trial and runs its params again as a new trial naming it, from its checkpoint', () => {
    const events = [header, start(0, draw(0)), { type: 'checkpoint', id: 0, data: { epoch: 4 } } as StudyEvent, start(1, draw(1)), finish(1, 0.5)];
    const { append, result } = claimTrial(events, new Set([0]), ctx());
    expect(append[0]).toMatchObject({ type: 'finish', id: 0, state: 'failed' });
    expect((append[0] as { error: string }).error).toBe(`${STALE_ERROR}its heartbeats stopped (claimed by there:2#b)`);
    expect(append[1]).toMatchObject({ type: 'start', id: 2, params: draw(0), meta: { retryOf: 0 } });
    expect(result.claim).toMatchObject({ kind: 'run', restore: { epoch: 4 } });
  });

  it('numbers planned trials apart from retries: after a retry, the next new trial is draw (seed, 2) under id 3', () => {
    const events = [header, start(0, draw(0)), staleFinish(0), start(1, draw(1)), finish(1, 1), start(2, draw(0), 0), finish(2, 2)];
    const { append } = claimTrial(events, new Set(), ctx());
    expect(append).toEqual([{ type: 'start', id: 3, params: draw(2), meta: {}, attempt: 1, time: 1000, owner: 'here:1#a' }]);
  });

  it('never judges its own running trials stale, and waits while other processes run trials', () => {
    const events = [header, start(0, draw(0)), start(1, draw(1)), start(2, draw(2))];
    const mine = claimTrial(events, new Set([0, 1]), ctx({ local: new Set([0]) }));
    expect(mine.append.map((e) => [e.type, (e as { id: number }).id])).toEqual([['finish', 1], ['start', 3]]);
    const full = claimTrial(events, new Set(), ctx({ local: new Set([0]) }));
    expect(full.append).toEqual([]);
    expect(full.result.claim.kind).toBe('wait');
  });

  it("does not wait for a running trial no nnkit process claimed (Python's, in an Optuna journal): it is never retried", () => {
    const python: StudyEvent = { type: 'start', id: 1, params: draw(1), meta: {}, attempt: 1, time: 0 };
    const events = [header, start(0, draw(0)), finish(0, 1), python, start(2, draw(2)), finish(2, 3)];
    const full = claimTrial(events, new Set(), ctx());
    expect(full.append).toEqual([]);
    expect(full.result.claim.kind).toBe('done');
    expect(full.result.unowned).toEqual([1]);
    // The same trial claimed by another nnkit process is waited for: it may die and need a retry.
    const owned = claimTrial([...events.slice(0, 3), start(1, draw(1)), ...events.slice(4)], new Set(), ctx());
    expect(owned.result.claim.kind).toBe('wait');
    expect(owned.result.unowned).toEqual([]);
  });

  it('ends instead of waiting when a sampler waits on unowned running trials only (a rung Python never finishes)', () => {
    const waiting = { ...randomSampler(space, 3), plan: () => 'wait' as const };
    const python: StudyEvent = { type: 'start', id: 0, params: draw(0), meta: {}, attempt: 1, time: 0 };
    expect(claimTrial([header, python], new Set(), ctx({ sampler: waiting })).result.claim.kind).toBe('done');
    expect(claimTrial([header, start(0, draw(0))], new Set(), ctx({ sampler: waiting })).result.claim.kind).toBe('wait');
  });

  it('is done when every planned trial finished; retries stop at maxRetries', () => {
    const events = [header, start(0, draw(0)), finish(0, 1), start(1, draw(1)), staleFinish(1), start(2, draw(2)), finish(2, 1), start(3, draw(1), 1), staleFinish(3)];
    expect(claimTrial(events, new Set(), ctx({ maxRetries: 1 })).result.claim.kind).toBe('done');
    expect(claimTrial(events, new Set(), ctx({ maxRetries: 2 })).append).toMatchObject([{ type: 'start', id: 4, params: draw(1), meta: { retryOf: 3 } }]);
  });

  it('refuses a study of another space, direction, search or seed with STORAGE_MISMATCH', () => {
    const other = { lr: logUniform(1e-3, 1), units: intUniform(1, 64) };
    expect(() => claimTrial([header], new Set(), ctx({ space: other, fingerprint: spaceFingerprint(other) }))).toThrow(expect.objectContaining({ code: 'STORAGE_MISMATCH' }));
    expect(() => claimTrial([header], new Set(), ctx({ direction: 'maximize' }))).toThrow(/holds a study to minimize; this one would maximize/);
    expect(() => claimTrial([header], new Set(), ctx({ sampler: { ...randomSampler(space, 3), name: 'gridSearch' } }))).toThrow(/holds a randomSearch study/);
    expect(() => claimTrial([header], new Set(), ctx({ givenSeed: 12 }))).toThrow(/seed 11; this one has seed 12/);
  });
});

describe('samplerView', () => {
  it('shows each planned trial once, numbered from 0, holding its latest retry', () => {
    const rec = (id: number, state: TrialRecord['state'], retryOf?: number, error?: string): TrialRecord =>
      ({ id, params: { x: id }, value: id, state, durationMs: 0, intermediate: [], attempt: 1, retryOf, error }) as TrialRecord;
    const records = [rec(0, 'failed', undefined, `${STALE_ERROR}x`), rec(1, 'complete'), rec(2, 'failed', 0, `${STALE_ERROR}y`), rec(3, 'failed', undefined, 'Error: boom')];
    const { view, toRetry } = samplerView(records, 3);
    expect(view.map((r) => [r.id, r.params.x, r.state])).toEqual([[0, 0, 'running'], [1, 1, 'complete'], [2, 3, 'failed']]);
    expect(toRetry.map((r) => r.id)).toEqual([2]);
  });
});
