// One writer per journal. Two processes appending to one journal would each run every trial, so
// the study that writes a journal holds a lock on it: `proper-lockfile`'s lock directory
// (`<journal>.lock`, created atomically with mkdir), next to a small file naming its owner
// (`<journal>.lock.json`: pid, host, and the inode of the lock directory it describes).
//
// Why not only proper-lockfile's staleness rule (a lock whose mtime is older than `stale` is
// taken over): the holder refreshes the mtime from a timer, and a function objective can keep
// the event loop busy for a whole trial (training awaits only microtasks), so the timer starves
// and a busy holder looks exactly like a dead one. Hence:
// - on one host, the owner file decides: a lock whose owner process still runs is never taken
//   over, however old its mtime; a lock whose owner is gone (SIGKILL, power loss) is removed at
//   once, so resuming after a crash just works;
// - only a lock we cannot judge that way (its owner on another host sharing the folder, or no
//   owner file) falls back to the mtime rule, with LOCK_STALE_MS long enough for any trial to
//   yield now and then;
// - `onCompromised` never throws (proper-lockfile's default throws from a timer, which would
//   kill the process): it notes the loss, and the next append fails with STORAGE_LOCKED, so the
//   study stops instead of writing next to another one.
import { NnkitError } from './errors';
import { nodeImport } from './node-import';
import { isRunning } from './process-gone';

/** A lock whose mtime has not been refreshed for this long, and whose owner cannot be checked, is stale. */
export const LOCK_STALE_MS = 60 * 60 * 1000;
/** How often the holder refreshes the lock's mtime, when its event loop lets the timer run. */
export const LOCK_UPDATE_MS = 10_000;

type Fs = typeof import('node:fs');
type Lockfile = typeof import('proper-lockfile');

interface Owner {
  pid: number;
  hostname: string;
  ino: number;
}

/** A held journal lock. */
export interface JournalLock {
  /** Throws `STORAGE_LOCKED` when the lock was lost since it was taken. */
  check(): void;
  /** Gives the lock up (idempotent). */
  release(): void;
}

function readOwner(fs: Fs, file: string): Owner | undefined {
  try {
    const o = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Number.isInteger(o.pid) && typeof o.hostname === 'string' && typeof o.ino === 'number' ? o : undefined;
  } catch {
    return undefined;
  }
}

function inode(fs: Fs, dir: string): number | undefined {
  try {
    return fs.statSync(dir).ino;
  } catch {
    return undefined;
  }
}

/** Options of {@link journalLocker}. */
export interface LockerOptions {
  /** A lock whose owner cannot be checked is stale after this long without a refresh (default {@link LOCK_STALE_MS}). */
  staleMs?: number;
}

/** Takes a journal's lock synchronously, once the modules it needs are loaded. */
export interface JournalLocker {
  /** Takes the lock, or throws `STORAGE_LOCKED` naming the process that holds it. */
  lock(): JournalLock;
  /** Takes the lock, or returns undefined when a running process holds it. */
  tryLock(): JournalLock | undefined;
}

/**
 * Loads what locking a journal needs, and returns a locker whose `lock()` is synchronous: a
 * caller can take the lock, read, append and release with no `await` in between, so no trial of
 * its own thread can run while it holds the lock (and starve the lock's refresh timer).
 *
 * @param path - the journal file
 * @param warn - told when a dead process's lock is removed
 * @param options - the staleness period of locks whose owner cannot be checked
 * @returns the locker
 * @example
 * const locker = await journalLocker('study.jsonl', console.warn);
 * const lock = locker.tryLock(); if (lock) { …; lock.release(); }
 */
export async function journalLocker(path: string, warn: (message: string) => void, options: LockerOptions = {}): Promise<JournalLocker> {
  const fs = await nodeImport<Fs>('node:fs');
  const { hostname } = await nodeImport<typeof import('node:os')>('node:os');
  const mod = await nodeImport<Lockfile & { default?: Lockfile }>('proper-lockfile');
  const lockfile = mod.default ?? mod;
  const staleMs = options.staleMs ?? LOCK_STALE_MS;
  const dir = `${path}.lock`;
  const ownerFile = `${dir}.json`;
  const host = hostname();
  const held = (owner: Owner | undefined) =>
    new NnkitError(
      'STORAGE_LOCKED',
      `journal '${path}' is locked: another process ${owner ? `(pid ${owner.pid}${owner.pid === process.pid ? ', this one' : ''} on ${owner.hostname}) ` : ''}is writing it; wait for it to end, or use another journal (if no such process runs, delete '${dir}')`,
    );

  const lock = (): JournalLock => {
    const ino = inode(fs, dir);
    if (ino !== undefined) {
      const owner = readOwner(fs, ownerFile);
      if (owner && owner.ino === ino && owner.hostname === host) {
        if (isRunning(owner.pid)) throw held(owner);
        fs.rmSync(dir, { recursive: true, force: true });
        warn(`journal '${path}': removed the lock of process ${owner.pid}, which no longer runs`);
      }
    }

    let lost: Error | undefined;
    let release: () => void;
    try {
      release = lockfile.lockSync(path, {
        realpath: false,
        stale: staleMs,
        update: Math.min(LOCK_UPDATE_MS, staleMs / 2),
        onCompromised: (e) => {
          lost = e;
        },
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ELOCKED') {
        const owner = readOwner(fs, ownerFile);
        throw held(owner?.ino === inode(fs, dir) ? owner : undefined);
      }
      throw new NnkitError('STORAGE_UNAVAILABLE', `journal '${path}' cannot be locked: ${(e as Error).message}`);
    }
    const mine: Owner = { pid: process.pid, hostname: host, ino: inode(fs, dir) ?? -1 };
    fs.writeFileSync(ownerFile, JSON.stringify(mine));

    let released = false;
    return {
      check() {
        if (lost) {
          throw new NnkitError(
            'STORAGE_LOCKED',
            `journal '${path}': this study lost its lock (${lost.message}); another process may be writing the journal, so the study stops rather than run trials twice`,
          );
        }
      },
      release() {
        if (released) return;
        released = true;
        if (lost) return;
        const owner = readOwner(fs, ownerFile);
        if (owner?.pid === mine.pid && owner.ino === mine.ino) fs.rmSync(ownerFile, { force: true });
        release();
      },
    };
  };
  return {
    lock,
    tryLock() {
      try {
        return lock();
      } catch (e) {
        if (e instanceof NnkitError && e.code === 'STORAGE_LOCKED') return undefined;
        throw e;
      }
    },
  };
}

/**
 * Takes the lock of a journal file, removing the lock of a process that no longer runs.
 *
 * @param path - the journal file
 * @param warn - told when a dead process's lock is removed
 * @returns the held lock
 * @example
 * const lock = await lockJournal('study.jsonl', console.warn); … lock.release();
 */
export async function lockJournal(path: string, warn: (message: string) => void): Promise<JournalLock> {
  return (await journalLocker(path, warn)).lock();
}
