// Heartbeats of the trials an nnkit process runs in an Optuna journal, and which running trials are
// stale. Optuna 3.1's JournalStorage has no heartbeats, so they live beside the journal: one file
// per running trial, `<journal>.beats/<trial_id>`, rewritten by a small worker thread (a function
// objective keeps the main thread busy for a whole trial, so a main-thread timer would starve and a
// busy trial would look dead). Only trials nnkit claimed (system attribute `nnkit:owner`) can be
// stale; trials Python runs are never judged, since failing them would break Python's own run.

import { OWNER_ATTR, visibleTrials } from './optuna-journal-codec';
import { type JournalState, type OptunaStudyState, TrialStateCode } from './optuna-journal-state';
import { parseOptunaDatetime } from './optuna-json';
import { processGone } from './process-gone';

type Fs = typeof import('node:fs');

// Bare module names (not node:…): the browser-bundle check rejects any node: require in the entry's code.
const SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const fs = require('fs');
const { dir, owner, intervalMs } = workerData;
const ids = new Set();
const file = (id) => dir + '/' + id;
const beat = (list) => { for (const id of list) { try { fs.mkdirSync(dir, { recursive: true }); fs.writeFileSync(file(id), owner); } catch {} } };
parentPort.on('message', (m) => {
  if (m.type === 'start') { ids.add(m.id); beat([m.id]); }
  else { ids.delete(m.id); try { fs.rmSync(file(m.id), { force: true }); } catch {} }
});
setInterval(() => beat([...ids]), intervalMs);
`;

/** A heartbeat thread of one journal. */
export interface OptunaBeats {
  /** Beats for the trial with this Optuna trial_id until the returned function is called. */
  start(trialId: number): () => void;
  close(): void;
}

/**
 * Starts the heartbeat thread of a journal (it does not keep the process alive).
 *
 * @param Worker - node:worker_threads' Worker
 * @param path - the journal
 * @param owner - written into each beat file, for people looking
 * @param intervalMs - time between beats
 * @returns the thread
 * @example
 * const beats = startOptunaBeats(Worker, 'study.log', 'host:123', 5000); const stop = beats.start(7);
 */
export function startOptunaBeats(Worker: typeof import('node:worker_threads').Worker, path: string, owner: string, intervalMs: number): OptunaBeats {
  const worker = new Worker(SOURCE, { eval: true, workerData: { dir: `${path}.beats`, owner, intervalMs } });
  worker.unref();
  return {
    start(trialId) {
      worker.postMessage({ type: 'start', id: trialId });
      let stopped = false;
      return () => {
        if (!stopped) worker.postMessage({ type: 'stop', id: trialId });
        stopped = true;
      };
    },
    close() {
      void worker.terminate();
    },
  };
}

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
