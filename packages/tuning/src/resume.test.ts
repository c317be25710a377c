// Samplers are pure functions of the trial records: a study cut off anywhere and resumed from its
// storage ends exactly like one that was never interrupted, for every kind of search.
import { describe, expect, it } from 'vitest';
import { coarseToFine } from './coarse-to-fine';
import { intUniform, logUniform } from './distributions';
import { gridSearch } from './grid-search';
import { hyperband } from './halving';
import { randomSearch } from './random-search';
import { search } from './search';
import type { Study } from './study';
import { memoryStorage, type StudyEvent, type StudyStorage } from './storage';

const space = { lr: logUniform(1e-4, 1), layers: intUniform(1, 4) };
const value = (p: Record<string, unknown>) => (Math.log10(p.lr as number) + 2) ** 2 + (p.layers as number) / (Number(p.epochs) || 1);

type Search = (objective: (p: Record<string, unknown>, t: { id: number }) => number, storage: StudyStorage) => Promise<Study>;
const searches: [string, Search][] = [
  ['randomSearch', (f, storage) => randomSearch(space, f, { trials: 12, seed: 3, storage, progress: false })],
  ['search (tpe)', (f, storage) => search(space, f, { sampler: 'tpe', trials: 16, seed: 3, storage, progress: false })],
  ['gridSearch', (f, storage) => gridSearch(space, f, { gridSize: 3, storage, progress: false })],
  ['coarseToFine', (f, storage) => coarseToFine(space, f, { rounds: 3, trialsPerRound: 6, keep: 2, seed: 3, storage, progress: false })],
  ['hyperband', (f, storage) => hyperband(space, f, { resource: 'epochs', min: 1, max: 9, eta: 3, seed: 3, storage, progress: false })],
];

/** The events up to the n-th finished trial, plus the start of the next trial (left unfinished). */
function cutAfter(events: StudyEvent[], n: number): StudyEvent[] {
  let finished = 0;
  for (let i = 0; i < events.length; i++) {
    if (events[i].type === 'finish' && ++finished === n) {
      const next = events.findIndex((e, j) => j > i && e.type === 'start');
      return events.slice(0, next === -1 ? i + 1 : next + 1);
    }
  }
  return events;
}

describe.each(searches)('%s resumed from a cut-off storage', (_name, search) => {
  it('ends like the uninterrupted study, running only what had not finished', async () => {
    const full = memoryStorage();
    const reference = await search(value, full);
    const total = reference.trials.length;
    for (const n of [1, Math.floor(total / 2), total - 1]) {
      const calls: number[] = [];
      const resumed = await search((p, t) => {
        calls.push(t.id);
        return value(p);
      }, memoryStorage(cutAfter(full.events, n)));
      expect(resumed.trials.map((t) => [t.id, t.params, t.value, t.state])).toEqual(reference.trials.map((t) => [t.id, t.params, t.value, t.state]));
      expect(calls).toEqual(reference.trials.slice(n).map((t) => t.id));
    }
  });
});
