// A study in Redis, shared by any number of processes on any number of machines. The study's events
// are one Redis list (`nnkit:study:<name>:events`), appended to and read from the end, so each
// process keeps what it read and fetches only what is new. A claim is optimistic and costs one
// round trip when no other process appended since this one last looked: the process decides
// (claim.ts) on what it has, and a Lua script appends only if the list still has the length it
// had read; otherwise the script appends nothing and returns the new entries, and the process
// decides again. The script also sets a claimed trial's heartbeat key
// (`nnkit:study:<name>:beat:<id>`, expiring after graceMs), which the heartbeat thread then renews,
// and tells which of the running trials it was asked about still have theirs: a running trial
// whose key has expired is stale. Expiry is Redis's own clock, so the machines' clocks need not
// agree.
//
// `ioredis` is an optional peer dependency, imported the first time a Redis storage is used.
import { describeValue } from './describe-value';
import { NnkitError } from './errors';
import { beatTrial, type HeartbeatThread, startHeartbeatThread } from './heartbeat-thread';
import { checkHeartbeat, checkMs, runningTrials } from './journal-file';
import { isNode, nodeImport } from './node-import';
import { checkOptionKeys } from './option-keys';
import { type ExclusiveResult, isStudyEvent, type StudyEvent, type StudyStorage } from './storage';

/** Options of {@link redisStorage}. */
export interface RedisStorageOptions {
  /** `redis://[user:password@]host[:port][/db]`, or `rediss://…` for TLS. */
  url: string;
  /** The study's name (1 to 200 characters): every process that names it joins the same study. */
  study: string;
  /** How long a lost connection is retried before the study fails with `STORAGE_UNAVAILABLE` (default 30000 ms). */
  reconnectMs?: number;
  /** How often a running trial's heartbeat is sent (default 5000 ms). */
  heartbeatMs?: number;
  /** A trial with no heartbeat for this long is failed and retried (default 30000 ms; more than heartbeatMs). */
  graceMs?: number;
}

/** The longest study name. */
export const MAX_STUDY_NAME = 200;

// ARGV: expected length, graceMs, heartbeat key prefix, r, r running trial ids, b, b claimed trial
// ids, then the events. Returns { appended (1/0), heartbeat flags of the r trials, new entries }:
// if the list no longer has the expected length, nothing is set or appended and the entries past
// that length come back.
const APPEND_IF_LENGTH = `
local r = tonumber(ARGV[4])
local alive = {}
for i = 1, r do alive[i] = redis.call('EXISTS', ARGV[3] .. ARGV[4 + i]) end
if redis.call('LLEN', KEYS[1]) ~= tonumber(ARGV[1]) then
  return { 0, alive, redis.call('LRANGE', KEYS[1], ARGV[1], -1) }
end
local b = tonumber(ARGV[5 + r])
for i = 6 + r, 5 + r + b do redis.call('SET', ARGV[3] .. ARGV[i], 'claimed', 'PX', ARGV[2]) end
for i = 6 + r + b, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
return { 1, alive, {} }`;

type Client = import('ioredis').Redis;

/**
 * Checks a study name.
 *
 * @param study - the name
 * @param where - names the caller in the message
 * @example
 * checkStudyName('mnist-lr', 'redisStorage()');
 */
export function checkStudyName(study: unknown, where: string): void {
  if (typeof study !== 'string' || study.length === 0 || study.length > MAX_STUDY_NAME) {
    const what = typeof study === 'string' ? `'${study.length > 40 ? `${study.slice(0, 40)}…` : study}' (${study.length} characters)` : describeValue(study);
    throw new NnkitError('INVALID_ARGUMENT', `${where}: study ${what}; expected a name of 1 to ${MAX_STUDY_NAME} characters`);
  }
}

/**
 * A study stored in Redis (Node only; needs the `ioredis` package). Run the same search with
 * `storage: redisStorage({ url, study })` in any number of processes on any number of machines:
 * together they run `trials` trials, none twice. Each running trial sends a heartbeat every
 * `heartbeatMs` from a thread of its own; a trial silent for `graceMs` (its process died) stays
 * failed and its params run again as a new trial (`maxRetries`). A lost connection is retried for
 * `reconnectMs`, during which the study waits; after that it fails with `STORAGE_UNAVAILABLE`
 * naming the host. `loadStudy(redisStorage({ url, study }))` reads the study from anywhere.
 *
 * @param options - url, study, reconnectMs, heartbeatMs, graceMs
 * @returns the storage
 * @example
 * const study = await randomSearch(space, objective, {
 *   trials: 100, seed: 1, storage: redisStorage({ url: 'redis://10.0.0.5:6379/0', study: 'mnist-lr' }),
 * });
 */
export function redisStorage(options: RedisStorageOptions): StudyStorage {
  const where = 'redisStorage()';
  if (typeof options !== 'object' || options === null) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: options ${describeValue(options)}; expected { url, study }`);
  }
  checkOptionKeys(options, ['url', 'study', 'reconnectMs', 'heartbeatMs', 'graceMs'], where);
  const { url, study, reconnectMs = 30_000, heartbeatMs = 5000, graceMs = Math.max(30_000, 4 * (options.heartbeatMs ?? 0)) } = options;
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {}
  if (!parsed || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || !parsed.hostname) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: url ${describeValue(url)}; expected 'redis://host:6379/0' (or rediss:// for TLS)`);
  }
  checkStudyName(study, where);
  checkMs(reconnectMs, 'reconnectMs', where);
  checkHeartbeat(heartbeatMs, graceMs, where);
  const host = `${parsed.hostname}:${parsed.port || 6379}`;
  const key = `nnkit:study:${study}:events`;
  const beatPrefix = `nnkit:study:${study}:beat:`;

  let client: Client | undefined;
  let connecting: Promise<Client> | undefined;
  let lastError = 'no answer';
  // Started by the first claim (not by a mere load), so that heartbeat() can post at once.
  // Started by the first claim (a mere load starts no thread), so that heartbeat() posts at once.
  let beats: HeartbeatThread | undefined;
  let owner = '';
  let closed = false;
  let gaveUp = false;
  const waiting = new Set<(e: Error) => void>();
  // One read or claim at a time: each goes on from the list position the previous one reached.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const p = queue.then(f);
    queue = p.catch(() => {});
    return p;
  };
  // Every entry read so far (its count is the list position to read from next) and the events
  // kept of them: an event resent after a reconnect arrives twice, identical, and counts once.
  let entries = 0;
  const seen = new Set<string>();
  const events: StudyEvent[] = [];

  const unavailable = (why: string) =>
    new NnkitError(
      'STORAGE_UNAVAILABLE',
      `redis at ${host} (study '${study}'): ${why}; last error: ${lastError}. Check that redis-server runs there and is reachable, or raise reconnectMs (now ${reconnectMs})`,
    );

  const connect = async (): Promise<Client> => {
    if (!isNode()) throw new NnkitError('STORAGE_UNAVAILABLE', `${where} needs Node.js; in a browser, talk to a server that holds the study`);
    let mod: { default: new (url: string, options: object) => Client };
    try {
      mod = await nodeImport('ioredis');
    } catch (e) {
      throw new NnkitError(
        'MISSING_DEPENDENCY',
        `${where} needs the package 'ioredis', which is not installed (${(e as Error).message.split('\n')[0]}); install it with: npm install ioredis`,
      );
    }
    closed = false;
    gaveUp = false;
    owner = `${(await nodeImport<typeof import('node:os')>('node:os')).hostname()}:${process.pid}`;
    // The connection is down from the start until it is ready. After reconnectMs down, give up:
    // every waiting command and every later one fails (ioredis alone would wait for ever).
    let giveUp: ReturnType<typeof setTimeout> | undefined;
    const down = () => {
      if (closed || gaveUp) return;
      giveUp ??= setTimeout(() => {
        gaveUp = true;
        const e = unavailable(`unreachable for ${reconnectMs} ms`);
        for (const reject of waiting) reject(e);
        waiting.clear();
        c.disconnect();
      }, reconnectMs);
    };
    const c = new mod.default(url, {
      maxRetriesPerRequest: null,
      connectTimeout: Math.min(10_000, reconnectMs),
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
    });
    down();
    c.on('error', (e: Error) => {
      lastError = e.message;
    });
    c.on('close', down);
    c.on('ready', () => {
      clearTimeout(giveUp);
      giveUp = undefined;
    });
    c.on('end', () => clearTimeout(giveUp));
    client = c;
    return c;
  };

  // Runs a command; fails with STORAGE_UNAVAILABLE once the connection is given up.
  const call = async <T>(f: (c: Client) => Promise<T>): Promise<T> => {
    connecting ??= connect();
    const c = client ?? (await connecting);
    if (gaveUp) throw unavailable(`unreachable for ${reconnectMs} ms`);
    let fail!: (e: Error) => void;
    return new Promise<T>((resolve, reject) => {
      fail = reject;
      waiting.add(reject);
      f(c).then(resolve, (e: Error) => reject(gaveUp ? unavailable(`unreachable for ${reconnectMs} ms`) : unavailable(`a command failed (${e.message})`)));
    }).finally(() => waiting.delete(fail));
  };

  // Takes entries read from the list's end: each new one is parsed once, a resent duplicate skipped.
  const take = (fresh: string[], warn: (m: string) => void): StudyEvent[] => {
    fresh.forEach((s, i) => {
      if (seen.has(s)) return;
      seen.add(s);
      let e: unknown;
      try {
        e = JSON.parse(s);
      } catch (err) {
        warn(`redis study '${study}' entry ${entries + i + 1}: unreadable record skipped (${(err as Error).message})`);
        return;
      }
      if (isStudyEvent(e)) events.push(e);
      else warn(`redis study '${study}' entry ${entries + i + 1}: record is not a study event, skipped: ${s.slice(0, 80)}`);
    });
    entries += fresh.length;
    return events;
  };
  const read = async (warn: (m: string) => void): Promise<StudyEvent[]> => take(await call((c) => c.lrange(key, entries, -1)), warn);

  const exclusive = <T>(fn: (events: readonly StudyEvent[], stale: ReadonlySet<number>) => ExclusiveResult<T>, warn: (m: string) => void): Promise<T> =>
    serial(async () => {
      connecting ??= connect();
      await connecting;
      beats ??= await startHeartbeatThread({ kind: 'redis', url, prefix: beatPrefix, ttlMs: graceMs, owner }, heartbeatMs);
      return claimLoop(fn, warn);
    });
  // Trials whose heartbeat key was found expired by the last script run.
  let expired = new Set<number>();
  const claimLoop = async <T>(fn: (events: readonly StudyEvent[], stale: ReadonlySet<number>) => ExclusiveResult<T>, warn: (m: string) => void): Promise<T> => {
    for (;;) {
      const length = entries;
      const running = runningTrials(events);
      const { append, result } = fn(events, new Set([...expired].filter((id) => running.has(id))));
      const lines = append.map((e) => JSON.stringify(e));
      const claimed = append.flatMap((e) => (e.type === 'start' ? [String(e.id)] : []));
      const asked = [...running.keys()];
      const [ok, alive, fresh] = (await call((c) =>
        c.eval(APPEND_IF_LENGTH, 1, key, length, graceMs, beatPrefix, asked.length, ...asked, claimed.length, ...claimed, ...lines),
      )) as [number, number[], string[]];
      expired = new Set(asked.filter((_, i) => alive[i] === 0));
      if (ok === 1) {
        take(lines, warn);
        return result;
      }
      if (fresh.length === 0) {
        // Shorter than what was read: the list was deleted or Redis lost writes (no append-only file?).
        throw new NnkitError(
          'STORAGE_UNAVAILABLE',
          `redis at ${host} (study '${study}'): the study's list '${key}' has fewer than the ${length} entries this process already read; it was deleted, or the server lost data (run it with --appendonly yes)`,
        );
      }
      // A script resent after a reconnect finds the list longer by its own first run: then what
      // follows the length it read is exactly what it meant to append.
      const mine = lines.length > 0 && fresh.length >= lines.length && lines.every((s, i) => s === fresh[i]);
      take(fresh, warn);
      if (mine) return result;
    }
  };

  return {
    heartbeatMs,
    load: (warn) => serial(() => read(warn)),
    async append(event) {
      await call((c) => c.rpush(key, JSON.stringify(event)));
    },
    exclusive,
    heartbeat: (id) => beatTrial(beats, id),
    async close() {
      closed = true;
      beats?.close();
      beats = undefined;
      const c = client;
      client = undefined;
      connecting = undefined;
      if (!c) return;
      if (c.status === 'ready') {
        await Promise.race([c.quit().catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
      }
      c.disconnect();
    },
  };
}
