// Which running trials of an Optuna journal are stale. Optuna 3.1's JournalStorage has no
// heartbeats, so they live beside the journal: one file per running trial,
// `<journal>.beats/<trial_id>`, rewritten by the heartbeat thread (heartbeat-thread.ts). Only trials
// nnkit claimed (system attribute `nnkit:owner`) can be stale; trials Python runs are never judged,
// since failing them would break Python's own run.

import { OWNER_ATTR, visibleTrials } from './optuna-journal-codec';
import { type JournalState, type OptunaStudyState, TrialStateCode } from './optuna-journal-state';
import { parseOptunaDatetime } from './optuna-json';
import { processGone } from './process-gone';

type Fs = typeof import('node:fs');

/**
 * The nnkit ids of a study's stale trials: RUNNING, claimed by nnkit, and either claimed on this
 * host by a process that no longer runs, or without a heartbeat (or, before the first, a start)
 * for more than `graceMs`.
 *
 * @param fs - node:fs
 * @param path - the journal
 * @param state - the replayed journal
 * @param study - the study
 * @param host - this machine's hostname
 * @param graceMs - the grace period
 * @returns the stale trials' nnkit ids
 * @example
 * staleTrials(fs, 'study.log', state, study, hostname(), 30_000);
 */
export function staleTrials(fs: Fs, path: string, state: JournalState, study: OptunaStudyState, host: string, graceMs: number): Set<number> {
  const stale = new Set<number>();
  const now = Date.now();
  visibleTrials(state, study).forEach((t, id) => {
    const owner = t.systemAttrs[OWNER_ATTR];
    if (t.state !== TrialStateCode.RUNNING || typeof owner !== 'string') return;
    if (processGone(owner, host)) {
      stale.add(id);
      return;
    }
    let last = parseOptunaDatetime(t.datetimeStart);
    try {
      last = Math.max(Number.isNaN(last) ? 0 : last, fs.statSync(`${path}.beats/${t.trialId}`).mtimeMs);
    } catch {
      // No beat yet: the start counts.
    }
    if (!(now - last <= graceMs)) stale.add(id);
  });
  return stale;
}
