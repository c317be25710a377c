// A study in Optuna's JournalStorage file (Optuna ≥ 3.1): Python's
// `optuna.load_study(study_name=…, storage=JournalStorage(JournalFileStorage(path)))` sees nnkit's
// trials, and nnkit resumes studies Python wrote. Appends take Optuna's own symlink lock, so
// Python and nnkit can write one file at once. Optuna's reader fails on any malformed line but
// the last, so a torn last line (a writer killed mid-write) is cut off under the lock, never left
// for the next append to bury.
import { describeValue } from './describe-value';
import { NnkitError } from './errors';
import { type HeartbeatThread, startHeartbeatWorker } from './heartbeat-thread';
import { isNode, nodeImport } from './node-import';
import { checkOptionKeys } from './option-keys';
import { staleTrials } from './optuna-heartbeat';
import { type EncodeContext, encodeEvent, studyEvents } from './optuna-journal-codec';
import { JournalReader } from './optuna-journal-reader';
import { pyJson } from './optuna-json';
import { OPTUNA_LOCK_STALE_MS, withOptunaLock } from './optuna-lock';
import type { ExclusiveResult, StudyEvent, StudyStorage } from './storage';

type Fs = typeof import('node:fs');

/** The study name used when a new journal is opened without one. */
export const DEFAULT_OPTUNA_STUDY = 'nnkit';

/** Options of {@link optunaJournal}. */
export interface OptunaJournalOptions {
  /** The study's name in the journal (1–200 characters); default: the journal's only study, or 'nnkit' in a new journal. */
  study?: string;
  /**
   * Only read: no lock is taken, nothing is created or repaired, and `append` throws. A study
   * that Python wrote then comes with a header describing it (sampler 'optuna'), so
   * `loadStudy(optunaJournal(path, { readOnly: true }))` shows it.
   */
  readOnly?: boolean;
  /** How long one lock link may stay in place before `STORAGE_LOCKED` (default 30 s). */
  lockStaleMs?: number;
  /** Shared studies: how often a running trial's heartbeat is written (default 5000 ms). */
  heartbeatMs?: number;
  /** Shared studies: a trial nnkit claimed with no heartbeat for this long is stale (default 30 s, or 4 heartbeats if longer). */
  graceMs?: number;
}

/** An Optuna journal storage: a {@link StudyStorage} that many processes can share. */
export interface OptunaJournalStorage extends StudyStorage {
  /**
   * Runs `fn` under Optuna's lock with every event of the study so far (any process's) and the
   * ids of stale trials, then appends the events it returns before releasing the lock.
   */
  exclusive<T>(fn: (events: readonly StudyEvent[], stale: ReadonlySet<number>) => ExclusiveResult<T>, warn: (message: string) => void): Promise<T>;
  /** Starts heartbeats for running trial `id` from a worker thread; returns the function that stops them. */
  heartbeat(id: number): () => void;
  /** The heartbeat interval. */
  readonly heartbeatMs: number;
}

function checkStudyName(name: unknown): void {
  if (name === undefined) return;
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
    throw new NnkitError('INVALID_ARGUMENT', `optunaJournal(): study ${describeValue(name)}; expected a name of 1 to 200 characters`);
  }
}

function checkFolder(fs: Fs, path: string, dirname: (p: string) => string): void {
  let stat: import('node:fs').Stats | undefined;
  try {
    stat = fs.statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new NnkitError('STORAGE_UNAVAILABLE', `Optuna journal '${path}' cannot be read: ${(e as Error).message}`);
    const folder = dirname(path);
    if (!fs.existsSync(folder)) throw new NnkitError('STORAGE_UNAVAILABLE', `Optuna journal '${path}': folder '${folder}' does not exist; create it first`);
  }
  if (stat?.isDirectory()) throw new NnkitError('INVALID_ARGUMENT', `Optuna journal path '${path}' is a folder; expected a file path such as '${path.replace(/[\\/]+$/, '')}/study.log'`);
}

/**
 * A study stored in an Optuna journal file (Node only), readable and resumable by Python's
 * Optuna 3.1 or later.
 *
 * @param path - the journal file, created if missing (its folder must exist)
 * @param options - `study` (the study's name), `readOnly`, `lockStaleMs`; for shared studies `heartbeatMs`, `graceMs`
 * @returns the storage
 * @example
 * const study = await randomSearch(space, objective, { trials: 50, storage: optunaJournal('study.log', { study: 'lr' }) });
 * // Python: optuna.load_study(study_name='lr', storage=JournalStorage(JournalFileStorage('study.log')))
 */
export function optunaJournal(path: string, options: OptunaJournalOptions = {}): OptunaJournalStorage {
  if (typeof path !== 'string' || path.length === 0) {
    throw new NnkitError('INVALID_ARGUMENT', `optunaJournal(): path ${describeValue(path)}; expected a non-empty file path`);
  }
  checkOptionKeys(options, ['study', 'readOnly', 'lockStaleMs', 'heartbeatMs', 'graceMs'], 'optunaJournal()');
  checkStudyName(options.study);
  const staleMs = options.lockStaleMs ?? OPTUNA_LOCK_STALE_MS;
  if (!(staleMs > 0)) throw new NnkitError('INVALID_ARGUMENT', `optunaJournal(): lockStaleMs = ${describeValue(staleMs)}; expected a positive number of milliseconds`);
  const heartbeatMs = options.heartbeatMs ?? 5000;
  const graceMs = options.graceMs ?? Math.max(30_000, 4 * heartbeatMs);
  if (!(heartbeatMs > 0) || !(graceMs > heartbeatMs)) {
    throw new NnkitError('INVALID_ARGUMENT', `optunaJournal(): heartbeatMs = ${describeValue(heartbeatMs)}, graceMs = ${describeValue(graceMs)}; expected positive milliseconds with graceMs > heartbeatMs (several heartbeats)`);
  }
  const readOnly = options.readOnly === true;
  const where = `Optuna journal '${path}'`;
  let fs: Fs | undefined;
  const reader = new JournalReader(path);
  const state = reader.state;
  let ctx: EncodeContext | undefined;
  let queue: Promise<void> = Promise.resolve();
  let host = '';
  let threads: typeof import('node:worker_threads') | undefined;
  let beats: HeartbeatThread | undefined;
  /** Where appends report (a torn line cut off, a dead writer's lock removed): the study's onWarning. */
  let studyWarn: (message: string) => void = (m) => console.warn(m);

  const open = async (): Promise<Fs> => {
    if (!isNode()) throw new NnkitError('STORAGE_UNAVAILABLE', `${where} needs Node.js; in a browser use memoryStorage() or a storage of your own`);
    if (!fs) {
      fs = await nodeImport<Fs>('node:fs');
      checkFolder(fs, path, (await nodeImport<typeof import('node:path')>('node:path')).dirname);
    }
    return fs;
  };

  const studyName = (): string => {
    if (options.study !== undefined) return options.study;
    const names = [...state.studies.values()].map((s) => s.name);
    if (names.length === 0) return DEFAULT_OPTUNA_STUDY;
    if (names.length === 1) return names[0];
    throw new NnkitError('INVALID_ARGUMENT', `${where} holds ${names.length} studies (${names.map((s) => `'${s}'`).join(', ')}); pass optunaJournal('${path}', { study }) naming one`);
  };

  /** Encodes one event and writes its lines; the caller holds the lock and has synced. */
  const writeEvent = (f: Fs, c: EncodeContext, event: StudyEvent, warn: (m: string) => void) => {
    const logs = encodeEvent(event, c);
    if (logs.length === 0) return;
    const fd = f.openSync(path, 'a');
    try {
      f.writeSync(fd, `${logs.map((l) => pyJson(l)).join('\n')}\n`);
      f.fsyncSync(fd);
    } finally {
      f.closeSync(fd);
    }
    reader.sync(f, true, warn);
  };

  /** Opens the journal once: node:fs, the file (created, as Optuna does), host and worker threads. */
  const prepare = async (): Promise<Fs> => {
    const f = await open();
    if (!readOnly && !threads) {
      f.closeSync(f.openSync(path, 'a'));
      host = (await nodeImport<typeof import('node:os')>('node:os')).hostname();
      threads = await nodeImport<typeof import('node:worker_threads')>('node:worker_threads');
    }
    return f;
  };

  /** This storage's encoding context, made once the journal has been read (the study name may come from it). */
  const context = (): EncodeContext => {
    ctx ??= { state, studyName: studyName(), workerId: `${globalThis.crypto.randomUUID()}-${process.pid}`, trialIds: new Map(), space: undefined };
    return ctx;
  };

  const opened = (what: string): [Fs, EncodeContext] => {
    if (readOnly) throw new NnkitError('INVALID_ARGUMENT', `${where} was opened read-only; ${what} needs an optunaJournal() without readOnly`);
    if (!fs || !ctx) throw new NnkitError('INVALID_ARGUMENT', `${where}: ${what} before load; a study loads its storage first`);
    return [fs, ctx];
  };

  return {
    heartbeatMs,
    async load(warn) {
      studyWarn = warn;
      const f = await prepare();
      try {
        if (readOnly) {
          if (f.existsSync(path)) reader.sync(f, false, warn);
        } else {
          await withOptunaLock(f, path, () => reader.sync(f, true, warn), staleMs, { host, warn: (m) => warn(`${where}: ${m}`) });
        }
      } catch (e) {
        if (e instanceof NnkitError) throw e;
        throw new NnkitError('STORAGE_UNAVAILABLE', `${where} cannot be read: ${(e as Error).message}`);
      }
      const c = context();
      const study = state.studyByName(c.studyName);
      if (!study) return [];
      // Read-only, a study Python wrote gets a header describing it, so that loadStudy can show it.
      const { events, trialIds } = studyEvents(state, study, readOnly);
      c.trialIds = trialIds;
      const header = events.find((e) => e.type === 'study');
      c.space = header?.type === 'study' ? header.space : undefined;
      return events;
    },
    append(event: StudyEvent) {
      const [f, c] = opened('append');
      const warn = studyWarn;
      // One append at a time, in call order; after a failure every later append fails too.
      const p = queue.then(() =>
        withOptunaLock(
          f,
          path,
          () => {
            reader.sync(f, true, warn);
            writeEvent(f, c, event, warn);
          },
          staleMs,
          { host, warn: (m) => warn(`${where}: ${m}`) },
        ),
      );
      p.catch(() => {});
      queue = p;
      return p;
    },
    exclusive<T>(fn: (events: readonly StudyEvent[], stale: ReadonlySet<number>) => ExclusiveResult<T>, warn: (message: string) => void): Promise<T> {
      if (readOnly) return Promise.reject(new NnkitError('INVALID_ARGUMENT', `${where} was opened read-only; exclusive needs an optunaJournal() without readOnly`));
      studyWarn = warn;
      // A shared study may claim without loading first: the journal is opened here then.
      const p = queue.then(async () => {
        const f = await prepare();
        return withOptunaLock(
          f,
          path,
          () => {
            reader.sync(f, true, warn);
            const c = context();
            const study = state.studyByName(c.studyName);
            let events: StudyEvent[] = [];
            let stale = new Set<number>();
            if (study) {
              const seen = studyEvents(state, study);
              events = seen.events;
              // Trials this process created keep their trial_id; the others' are learnt here.
              c.trialIds = new Map([...seen.trialIds, ...c.trialIds]);
              const header = events.find((e) => e.type === 'study');
              if (header?.type === 'study') c.space = header.space;
              stale = staleTrials(f, path, state, study, host, graceMs);
            }
            const { append, result } = fn(events, stale);
            for (const e of append) writeEvent(f, c, e, warn);
            return result;
          },
          staleMs,
          { host, warn: (m) => warn(`${where}: ${m}`) },
        );
      });
      // A failed claim is its caller's to handle; later appends still go ahead.
      queue = p.then(
        () => {},
        () => {},
      );
      return p;
    },
    heartbeat(id: number) {
      const [, c] = opened('heartbeat');
      const trialId = c.trialIds.get(id);
      if (trialId === undefined || !threads) throw new NnkitError('INVALID_ARGUMENT', `${where}: heartbeat(${id}) for a trial this storage has not stored; claim it first`);
      beats ??= startHeartbeatWorker(threads.Worker, { kind: 'files', dir: `${path}.beats`, owner: `${host}:${process.pid}` }, heartbeatMs);
      const thread = beats;
      thread.start(trialId);
      let stopped = false;
      return () => {
        if (!stopped) thread.stop(trialId);
        stopped = true;
      };
    },
    async close() {
      await queue.catch(() => {});
      if (beats) {
        beats.close();
        beats = undefined;
        // The beat files' folder goes when no other process's trial beats in it.
        try {
          fs?.rmdirSync(`${path}.beats`);
        } catch {}
      }
    },
  };
}
