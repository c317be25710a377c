// Where a study lives: an append-only list of events. Trials are never stored as mutable rows, only
// as "started / reported / checkpointed / finished" events, so any storage that can append and
// read back in order — an array, a JSON-lines file, a database table, a queue — can hold a study,
// and replaying the events after a crash gives back every finished trial.
import type { ParamValue } from './distributions';
import type { EntrySpec, Params } from './space';
import type { Direction } from './pruner';

/** A number as stored: JSON has no NaN or ±Infinity, so those travel as strings. */
export type StoredNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** Where a trial sits in a structured search (round of coarse-to-fine, rung of hyperband). */
export interface TrialMeta {
  round?: number;
  bracket?: number;
  rung?: number;
  resource?: number;
  configId?: number;
  /**
   * In a shared study: the id of the trial this one re-runs, with the same params, because that
   * trial's heartbeats stopped (its process died). The stale trial stays 'failed'.
   */
  retryOf?: number;
}

/** The first event of a study: what it searches and how. */
export interface StudyHeaderEvent {
  type: 'study';
  version: 1;
  fingerprint: string;
  space: Record<string, EntrySpec>;
  direction: Direction;
  sampler: string;
  seed: number;
  time: number;
}

/** Every event a study appends. */
export type StudyEvent =
  | StudyHeaderEvent
  | {
      type: 'start';
      id: number;
      params: Params;
      meta: TrialMeta;
      attempt: number;
      time: number;
      /** In a shared study: who claimed the trial, `'<hostname>:<pid>#<tag>'`, the tag telling apart studies of one process (absent in single-process studies). */
      owner?: string;
    }
  | { type: 'report'; id: number; step: number; value: StoredNumber }
  | { type: 'checkpoint'; id: number; data: unknown }
  | {
      type: 'finish';
      id: number;
      /**
       * The trial's params, meta and attempt again, so that a finish is a whole record on its own
       * and a damaged start line loses nothing (absent in journals of @nnkit/tuning 0.1).
       */
      params?: Params;
      meta?: TrialMeta;
      attempt?: number;
      state: 'complete' | 'pruned' | 'failed';
      value: StoredNumber;
      durationMs: number;
      error?: string;
      time: number;
    };

/** What the function given to {@link StudyStorage.exclusive} returns. */
export interface ExclusiveResult<T> {
  /** Events to append, in order, before the lock is released (may be empty). */
  append: StudyEvent[];
  /** Handed back by `exclusive` once the events are stored. */
  result: T;
}

/**
 * The storage interface. `append` may return a promise (a database); appends must be applied in
 * call order. `load` returns every event appended so far, oldest first.
 *
 * A storage that many processes (on one machine or many) share at once — `journalFile`,
 * `redisStorage`, `optunaJournal` — also has `exclusive` and `heartbeat`; the study loop then
 * claims each trial under the storage's lock, so that no trial runs twice and `trials` counts the
 * whole study. A storage without `exclusive` belongs to one study at a time (memory, the
 * single-writer `journalStorage`), as before.
 */
export interface StudyStorage {
  /** Reads every stored event; `warn` receives a message for each unreadable record skipped. */
  load(warn: (message: string) => void): Promise<StudyEvent[]>;
  /**
   * Durably appends one event. On a shared storage this needs no lock of the caller's (reports and
   * checkpoints of a trial the caller has claimed): the storage keeps each event whole and in this
   * process's call order, interleaved in any way with other processes' events.
   */
  append(event: StudyEvent): void | Promise<void>;
  /** Releases files, connections and the heartbeat thread. */
  close?(): void | Promise<void>;
  /**
   * Shared storages only. Runs `fn` under the storage's cross-process lock (a lock file, a Redis
   * transaction or script) with every event stored so far, by any process, oldest first, and
   * appends the events `fn` returns before the lock is released; then resolves to `fn`'s `result`.
   * No other process's event can land between what `fn` saw and what it appends: this is how a
   * trial is claimed atomically.
   *
   * `stale` holds the ids of trials that have a `start` event and no `finish` event and whose
   * heartbeats (see {@link StudyStorage.heartbeat}) stopped more than the storage's grace period
   * ago — or whose process the storage knows to be gone (same host, pid no longer running). A
   * trial claimed less than the grace period ago counts as alive even before its first heartbeat,
   * and a storage may leave a trial out until a later call than the first whose events show its
   * start (Redis checks the heartbeats of the trials it knew to run before the call). The caller decides what to do with them (the study loop appends a 'failed' finish and
   * re-runs their params as new trials).
   *
   * `fn` must be synchronous and free of side effects: an optimistic backend may call it again
   * when another process appended first, and only the last call's events and result count. If
   * `fn` throws, nothing is appended and `exclusive` rejects with that error. A storage that
   * cannot reach its backend for its reconnect period rejects with an `NnkitError`
   * `STORAGE_UNAVAILABLE` naming it; `warn` receives a message per damaged record skipped.
   *
   * @example
   * const id = await storage.exclusive((events) => {
   *   const next = events.filter((e) => e.type === 'start').length;
   *   return { append: [{ type: 'start', id: next, params, meta: {}, attempt: 1, time: Date.now() }], result: next };
   * }, console.warn);
   */
  exclusive?<T>(fn: (events: readonly StudyEvent[], stale: ReadonlySet<number>) => ExclusiveResult<T>, warn: (message: string) => void): Promise<T>;
  /**
   * Shared storages only. Starts sending heartbeats for running trial `id` every `heartbeatMs`,
   * from outside the calling thread (a worker thread of the storage's own), so they keep flowing
   * while a function objective keeps this thread busy for a whole trial; they stop when the
   * process dies. Returns the function that stops them (called once the trial's finish is
   * stored). Other processes see a trial whose heartbeats stopped in `exclusive`'s `stale`.
   * The study loop calls it only after an `exclusive` call has resolved (the claim of trial `id`),
   * and then starts the trial at once, perhaps blocking the thread: so it must hand `id` to the
   * heartbeat thread synchronously (start the thread in `exclusive`). `startHeartbeatThread()` in
   * src/heartbeat-thread.ts writes heartbeat files or Redis keys.
   */
  heartbeat?(id: number): () => void;
  /** Shared storages only: the heartbeat interval, which is also how often a study whose trial slots are all busy looks at the storage again (for pruning thresholds and dead processes' trials). */
  readonly heartbeatMs?: number;
}

/**
 * Encodes a number for JSON storage (NaN and ±Infinity as strings).
 *
 * @param x - any number
 * @returns x, or its name when not finite
 * @example
 * encodeNumber(Number.NaN); // 'NaN'
 */
export function encodeNumber(x: number): StoredNumber {
  return Number.isFinite(x) ? x : (String(x) as StoredNumber);
}

/**
 * Decodes a stored number.
 *
 * @param x - a stored number
 * @returns the number
 * @example
 * decodeNumber('-Infinity'); // -Infinity
 */
export function decodeNumber(x: StoredNumber | null | undefined): number {
  return typeof x === 'number' ? x : x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : Number.NaN;
}

/** The in-memory storage; `events` is the live list (inspect it, or hand it to another study). */
export interface MemoryStorage extends StudyStorage {
  readonly events: StudyEvent[];
}

/**
 * Storage in memory — the default, and the one that works everywhere. Events are deep-copied so
 * that the study's objects and the stored history never alias.
 *
 * @param events - events to start from (e.g. a copy of another study's)
 * @returns the storage
 * @example
 * const storage = memoryStorage();
 * await randomSearch(space, objective, { trials: 10, storage });
 * const again = await loadStudy(storage);
 */
export function memoryStorage(events: StudyEvent[] = []): MemoryStorage {
  const list: StudyEvent[] = events.map((e) => structuredClone(e));
  return {
    events: list,
    load: async () => list.map((e) => structuredClone(e)),
    append(event) {
      list.push(structuredClone(event));
    },
  };
}

/**
 * Tells whether a value can be a parameter value (for checking records read back from storage).
 *
 * @param v - any value
 * @returns true for finite numbers, strings, booleans and null
 * @example
 * isParamValue(Number.NaN); // false
 */
export function isParamValue(v: unknown): v is ParamValue {
  return v === null || ['string', 'boolean'].includes(typeof v) || (typeof v === 'number' && Number.isFinite(v));
}

/**
 * Checks that a parsed JSON record has the shape of a study event; storage backends use it to
 * skip damaged records instead of trusting them.
 *
 * @param e - a parsed record
 * @returns true when `e` is a well-formed event
 * @example
 * isStudyEvent({ type: 'report', id: 0, step: 1, value: 0.5 }); // true
 */
export function isStudyEvent(e: unknown): e is StudyEvent {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as Record<string, unknown>;
  const int = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  const params = (v: unknown) => typeof v === 'object' && v !== null && Object.values(v).every(isParamValue);
  const num = (v: unknown) => typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity';
  switch (x.type) {
    case 'study':
      return typeof x.fingerprint === 'string' && typeof x.space === 'object' && (x.direction === 'minimize' || x.direction === 'maximize');
    case 'start':
      return int(x.id) && params(x.params) && typeof x.meta === 'object' && x.meta !== null && int(x.attempt) && (x.owner === undefined || typeof x.owner === 'string');
    case 'report':
      return int(x.id) && int(x.step) && num(x.value);
    case 'checkpoint':
      return int(x.id) && 'data' in x;
    case 'finish':
      return (
        int(x.id) &&
        ['complete', 'pruned', 'failed'].includes(x.state as string) &&
        num(x.value) &&
        typeof x.durationMs === 'number' &&
        (x.params === undefined || params(x.params)) &&
        (x.meta === undefined || (typeof x.meta === 'object' && x.meta !== null)) &&
        (x.attempt === undefined || int(x.attempt))
      );
    default:
      return false;
  }
}
