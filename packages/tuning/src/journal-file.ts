// A journal file that several processes on one machine share, each running the same search: every
// read-decide-append (claiming a trial, storing its finish) happens under the journal's lock
// (journal-lock.ts: proper-lockfile's lock directory plus an owner file), held only for that
// moment and with no `await` inside, so no trial of this thread can run while it is held.
// Heartbeats are files, `<journal>.beats/<trial id>`, rewritten by a small worker thread while the
// trial runs; a trial is stale when its file (or, before the first beat, its start) is older than
// the grace period, or at once when the process that claimed it, on this host, no longer runs.

import { describeValue } from './describe-value';
import { NnkitError } from './errors';
import { beatTrial, type HeartbeatThread, startHeartbeatThread } from './heartbeat-thread';
import { type JournalLocker, journalLocker } from './journal-lock';
import { parseJournal } from './journal-storage';
import { isNode, nodeImport } from './node-import';
import { checkOptionKeys } from './option-keys';
import { processGone } from './process-gone';
import type { ExclusiveResult, StudyEvent, StudyStorage } from './storage';

type Fs = typeof import('node:fs');

/** Options of {@link journalFile}. */
export interface JournalFileOptions {
  /** How often a running trial's heartbeat is written (default 5000 ms). */
  heartbeatMs?: number;
  /** A trial with no heartbeat for this long is failed and retried (default 30000 ms; more than heartbeatMs). */
  graceMs?: number;
  /** Give up waiting for the journal's lock after this long, with `STORAGE_LOCKED` (default 30000 ms). */
  lockTimeoutMs?: number;
}

/** Checks a positive duration option. */
export function checkMs(v: unknown, name: string, where: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} = ${describeValue(v)}; expected a positive number of milliseconds`);
  }
}

/**
 * Checks heartbeat and grace periods together: heartbeats must come more often than the grace
 * period, or live trials would be taken for dead ones.
 */
export function checkHeartbeat(heartbeatMs: unknown, graceMs: unknown, where: string): void {
  checkMs(heartbeatMs, 'heartbeatMs', where);
  checkMs(graceMs, 'graceMs', where);
  if ((graceMs as number) <= (heartbeatMs as number)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: graceMs = ${graceMs} is not more than heartbeatMs = ${heartbeatMs}; expected a grace period of several heartbeats (e.g. graceMs = ${4 * (heartbeatMs as number)})`);
  }
}

/** Ids of trials that started and have not finished, with their start event. */
export function runningTrials(events: readonly StudyEvent[]): Map<number, Extract<StudyEvent, { type: 'start' }>> {
  const running = new Map<number, Extract<StudyEvent, { type: 'start' }>>();
  for (const e of events) {
    if (e.type === 'start') running.set(e.id, e);
    else if (e.type === 'finish') running.delete(e.id);
  }
  return running;
}

/**
 * A JSON-lines journal that any number of processes on this machine share (Node only): run the
 * same search with `storage: journalFile(path)` in each, and together they run `trials` trials,
 * none twice. A process that dies (even SIGKILL) is noticed at once — its trials fail and are
 * run again, with the same params, as new trials; a trial whose heartbeats stop for `graceMs` is
 * treated the same way. The file has the format of `journalStorage`, so `loadStudy(path)` reads it,
 * even while they run.
 *
 * @param path - the journal file, created if missing (its folder must exist)
 * @param options - heartbeat and grace periods, lock timeout
 * @returns the storage
 * @example
 * // in each of three terminals:
 * await randomSearch(space, objective, { trials: 36, seed: 1, storage: journalFile('runs/lr.jsonl') });
 */
export function journalFile(path: string, options: JournalFileOptions = {}): StudyStorage {
  const where = 'journalFile()';
  if (typeof path !== 'string' || path.length === 0) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: path ${describeValue(path)}; expected a non-empty file path`);
  }
  checkOptionKeys(options, ['heartbeatMs', 'graceMs', 'lockTimeoutMs'], where);
  const { heartbeatMs = 5000, graceMs = Math.max(30_000, 4 * (options.heartbeatMs ?? 0)), lockTimeoutMs = 30_000 } = options;
  checkHeartbeat(heartbeatMs, graceMs, where);
  checkMs(lockTimeoutMs, 'lockTimeoutMs', where);

  let fs: Fs | undefined;
  let host = '';
  let locker: JournalLocker | undefined;
  // Started by the first claim (not by a mere load), so that heartbeat() can post at once.
  // Started by the first claim (a mere load starts no thread), so that heartbeat() posts at once.
  let beatsReady: Promise<HeartbeatThread> | undefined;
  let beats: HeartbeatThread | undefined;
  const beatDir = `${path}.beats`;
  // What was read so far: the text up to its last newline, and the warnings already given.
  let text = '';
  let bytes = 0;
  const warned = new Set<string>();

  const open = async (warn: (m: string) => void) => {
    if (!isNode()) {
      throw new NnkitError('STORAGE_UNAVAILABLE', `journal file '${path}' needs Node.js; in a browser use memoryStorage() or redisStorage() from a server`);
    }
    if (!fs) {
      fs = await nodeImport<Fs>('node:fs');
      host = (await nodeImport<typeof import('node:os')>('node:os')).hostname();
      const { dirname } = await nodeImport<typeof import('node:path')>('node:path');
      const folder = dirname(path);
      if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
        throw new NnkitError('STORAGE_UNAVAILABLE', `journal path '${path}': folder '${folder}' does not exist; create it first`);
      }
      if (fs.existsSync(path) && fs.statSync(path).isDirectory()) {
        throw new NnkitError('INVALID_ARGUMENT', `journal path '${path}' is a folder; expected a file path such as '${path.replace(/[\\/]+$/, '')}/study.jsonl'`);
      }
    }
    locker ??= await journalLocker(path, warn, { staleMs: 10_000 });
    return fs;
  };

  // Reads what other processes appended since the last read; returns every event.
  const read = (f: Fs, warn: (m: string) => void): StudyEvent[] => {
    const shrunk = () =>
      new NnkitError('STORAGE_UNAVAILABLE', `journal '${path}' is shorter than the ${bytes} bytes this process already read: it was replaced, truncated or deleted while the study ran`);
    if (!f.existsSync(path) && bytes > 0) throw shrunk();
    if (f.existsSync(path)) {
      const fd = f.openSync(path, 'r');
      try {
        const size = f.fstatSync(fd).size;
        if (size < bytes) throw shrunk();
        if (size > bytes) {
          const buf = Buffer.alloc(size - bytes);
          f.readSync(fd, buf, 0, buf.length, bytes);
          const chunk = buf.toString('utf8');
          // Keep a last line without its newline for the next read: its writer may still be at it.
          const end = chunk.lastIndexOf('\n') + 1;
          text += chunk.slice(0, end);
          bytes += Buffer.byteLength(chunk.slice(0, end));
        }
      } finally {
        f.closeSync(fd);
      }
    }
    return parseJournal(text, `journal '${path}'`, (m) => {
      if (!warned.has(m)) warn(m);
      warned.add(m);
    });
  };

  const write = (f: Fs, events: readonly StudyEvent[]) => {
    if (events.length === 0) return;
    const fd = f.openSync(path, 'a');
    try {
      // A line torn by a writer that died must not swallow ours: start on a fresh line.
      const size = f.fstatSync(fd).size;
      const lines = events.map((e) => `${JSON.stringify(e)}\n`).join('');
      f.writeSync(fd, size > bytes ? `\n${lines}` : lines);
      f.fsyncSync(fd);
    } finally {
      f.closeSync(fd);
    }
  };

  const stale = (f: Fs, events: readonly StudyEvent[]): Set<number> => {
    const now = Date.now();
    const out = new Set<number>();
    for (const [id, start] of runningTrials(events)) {
      let last = start.time;
      try {
        last = Math.max(last, f.statSync(`${beatDir}/${id}`).mtimeMs);
      } catch {}
      if (now - last > graceMs || processGone(start.owner, host)) out.add(id);
    }
    return out;
  };

  const exclusive = async <T>(fn: (events: readonly StudyEvent[], stale: ReadonlySet<number>) => ExclusiveResult<T>, warn: (m: string) => void): Promise<T> => {
    const f = await open(warn);
    beatsReady ??= startHeartbeatThread({ kind: 'files', dir: beatDir, owner: `${host}:${process.pid}` }, heartbeatMs);
    beats = await beatsReady;
    const t0 = Date.now();
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      const lock = (locker as JournalLocker).tryLock();
      if (lock) {
        // From here to release: no await, so nothing else of this thread runs in between.
        try {
          const events = read(f, warn);
          const { append, result } = fn(events, stale(f, events));
          write(f, append);
          return result;
        } finally {
          lock.release();
        }
      }
      if (Date.now() - t0 > lockTimeoutMs) (locker as JournalLocker).lock(); // throws STORAGE_LOCKED naming the holder
      await new Promise((r) => setTimeout(r, wait));
    }
  };

  return {
    heartbeatMs,
    async load(warn) {
      return read(await open(warn), warn);
    },
    append(event) {
      return exclusive(() => ({ append: [event], result: undefined }), () => {});
    },
    exclusive,
    heartbeat: (id) => beatTrial(beats, id),
    close() {
      beats?.close();
      beats = undefined;
      beatsReady = undefined;
    },
  };
}
