// Optuna's JournalFileSymlinkLock (optuna/storages/_journal/file.py, 3.1), so that nnkit and
// Python append to one journal at once: the lock is a symlink `<journal>.lock` (creating a
// symlink is atomic, also on NFS); a writer that finds it waits 1 ms, then twice as long each time
// up to 1 s; releasing renames the link to a unique `<journal>.lock<uuid>.rename` and unlinks that,
// so a release can never remove another writer's lock.
//
// Optuna 3.1 waits forever for a lock whose holder died (the lock is held only while one write is
// made, so that takes a kill at that exact moment). Optuna never reads the link's target, so
// nnkit's links point at `nnkit:<host>:<pid>` instead of the journal: a link of an nnkit process of
// this host that no longer runs is removed at once. Any other link (Python's, another host's) is
// waited for as long as it stays in place for `staleMs`; then STORAGE_LOCKED names the link to
// delete, rather than hang a search, or take over a lock that a live Python process may hold.
import { NnkitError } from './errors';
import { isRunning } from './process-gone';

type Fs = typeof import('node:fs');

/** How long one unchanged lock link is waited for before STORAGE_LOCKED. */
export const OPTUNA_LOCK_STALE_MS = 30_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function identity(fs: Fs, link: string): string | undefined {
  try {
    const s = fs.lstatSync(link);
    return `${s.ino}:${s.ctimeMs}`;
  } catch {
    return undefined;
  }
}

const OWNER = /^nnkit:(.*):(\d+)$/;

/**
 * Removes the lock link if an nnkit process of this host that no longer runs made it. The link is
 * first renamed to a name of our own, so that of two processes breaking it only one succeeds; if
 * what was renamed turns out to be a live lock made meanwhile, it is put back.
 */
function breakDeadLock(fs: Fs, link: string, host: string, warn: (m: string) => void): void {
  let target: string;
  try {
    target = fs.readlinkSync(link);
  } catch {
    return;
  }
  const m = OWNER.exec(target);
  if (!m || m[1] !== host || isRunning(Number(m[2]))) return;
  const moved = `${link}${globalThis.crypto.randomUUID()}.rename`;
  try {
    fs.renameSync(link, moved);
  } catch {
    return;
  }
  const got = fs.readlinkSync(moved);
  if (got === target) {
    fs.unlinkSync(moved);
    warn(`removed the lock '${link}' of process ${m[2]}, which died while writing the journal`);
    return;
  }
  try {
    fs.symlinkSync(got, link);
  } catch {}
  fs.rmSync(moved, { force: true });
}

/** Who holds the lock, for processes that check the link: this host and process. */
export interface LockOwner {
  host: string;
  warn: (message: string) => void;
}

/**
 * Runs `fn` holding Optuna's symlink lock of a journal.
 *
 * @param fs - node:fs
 * @param path - the journal file
 * @param fn - the critical section
 * @param staleMs - how long one lock link may stay before STORAGE_LOCKED
 * @param owner - this host's name (written into the link, and used to judge others' links), and where to warn
 * @returns what `fn` returns
 * @example
 * await withOptunaLock(fs, 'study.log', () => fs.appendFileSync('study.log', line));
 */
export async function withOptunaLock<T>(fs: Fs, path: string, fn: () => T, staleMs = OPTUNA_LOCK_STALE_MS, owner?: LockOwner): Promise<T> {
  const link = `${path}.lock`;
  const target = owner ? `nnkit:${owner.host}:${process.pid}` : path;
  let wait = 1;
  let seen: string | undefined;
  let since = 0;
  for (;;) {
    try {
      fs.symlinkSync(target, link);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new NnkitError('STORAGE_UNAVAILABLE', `Optuna journal '${path}' cannot be locked (symlink '${link}'): ${(e as Error).message}`);
      }
    }
    if (owner) breakDeadLock(fs, link, owner.host, owner.warn);
    const now = identity(fs, link);
    if (now !== seen) {
      seen = now;
      since = Date.now();
    } else if (now !== undefined && Date.now() - since >= staleMs) {
      throw new NnkitError(
        'STORAGE_LOCKED',
        `Optuna journal '${path}' has been locked by '${link}' for over ${staleMs} ms; a writer died holding it? If no process writes the journal, delete '${link}'`,
      );
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 1000);
  }
  let result: T;
  try {
    result = fn();
  } finally {
    release(fs, path, link);
  }
  return result;
}

function release(fs: Fs, path: string, link: string): void {
  const moved = `${link}${globalThis.crypto.randomUUID()}.rename`;
  try {
    fs.renameSync(link, moved);
    fs.unlinkSync(moved);
  } catch (e) {
    // Someone removed our lock: what we wrote is whole, but another writer may have written too.
    throw new NnkitError('STORAGE_LOCKED', `Optuna journal '${path}': lock '${link}' was removed by another process while held (${(e as Error).message})`);
  }
}
