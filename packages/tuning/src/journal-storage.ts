// The file journal: one JSON event per line, each written with a single write and fsynced before
// the study moves on, so a SIGKILL loses at most the line being written. On load, a line that
// cannot be a record of this study (a torn last write, a hand edit, a flipped digit) is skipped
// with a warning naming its line, and every other line is kept.
import { checkOptionKeys } from './option-keys';
import { NnkitError } from './errors';
import { type JournalLock, lockJournal } from './journal-lock';
import { isNode, nodeImport } from './node-import';
import { replay } from './records';
import { isStudyEvent, type StudyEvent, type StudyStorage } from './storage';

type Fs = typeof import('node:fs');

/** Options of {@link journalStorage}. */
export interface JournalStorageOptions {
  /**
   * Only read the journal (what `loadStudy(path)` does): no lock is taken, so a study another
   * process is running can be read, and `append` throws.
   */
  readOnly?: boolean;
}

function checkPath(fs: Fs, dirname: (p: string) => string, path: string): void {
  let isDir: boolean;
  try {
    isDir = fs.statSync(path).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new NnkitError('STORAGE_UNAVAILABLE', `journal path '${path}' cannot be read: ${(e as Error).message}`);
    }
    const folder = dirname(path);
    if (!fs.existsSync(folder)) throw new NnkitError('STORAGE_UNAVAILABLE', `journal path '${path}': folder '${folder}' does not exist; create it first`);
    if (!fs.statSync(folder).isDirectory()) throw new NnkitError('STORAGE_UNAVAILABLE', `journal path '${path}': '${folder}' is a file, not a folder`);
    return;
  }
  if (isDir) {
    throw new NnkitError('INVALID_ARGUMENT', `journal path '${path}' is a folder; expected a file path such as '${path.replace(/[\\/]+$/, '')}/study.jsonl'`);
  }
}

/**
 * Parses a journal's text into events, skipping each line that cannot be a record of the study,
 * with a warning naming the line and why. Nothing a skipped line said reaches the study.
 *
 * @param text - the journal file's content
 * @param where - names the journal in warnings
 * @param warn - receives one message per skipped line, in line order
 * @returns the events of every line kept, oldest first
 * @example
 * const events = parseJournal(readFileSync('study.jsonl', 'utf8'), "journal 'study.jsonl'", console.warn);
 */
export function parseJournal(text: string, where: string, warn: (message: string) => void): StudyEvent[] {
  const skipped: [line: number, why: string][] = [];
  const events: StudyEvent[] = [];
  const lineOf: number[] = [];
  text.split('\n').forEach((line, i) => {
    const n = i + 1;
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      skipped.push([n, `unreadable record skipped (${(e as Error).message})`]);
      return;
    }
    if (!isStudyEvent(parsed)) {
      skipped.push([n, `record is not a study event, skipped: ${line.slice(0, 80)}`]);
      return;
    }
    // Line 1 holds the study and trial k starts after the starts of trials 0 … k−1, so no record
    // of trial k sits before line k + 2. A larger id is damage (a flipped digit), not a trial:
    // taking it would make the ids of every later trial jump.
    if ('id' in parsed && parsed.id > n - 2) {
      skipped.push([n, `trial id ${parsed.id} cannot appear on line ${n} (trial k's records begin on line k + 2 at the earliest); skipped as damaged`]);
      return;
    }
    events.push(parsed);
    lineOf.push(n);
  });
  // Records that fit no trial (a report whose start line was lost, a second finish) are found by
  // replaying, and reported here where their line numbers are known.
  const unfit = new Set<number>();
  replay(events, (index, why) => {
    unfit.add(index);
    skipped.push([lineOf[index], `${why}; skipped`]);
  });
  for (const [n, why] of skipped.sort((a, b) => a[0] - b[0])) warn(`${where} line ${n}: ${why}`);
  return events.filter((_, i) => !unfit.has(i));
}

/**
 * A JSON-lines journal file (Node only); `storage: 'study.jsonl'` is shorthand for it. A study
 * killed at any moment is resumed by running the same call again: finished trials are read back,
 * unfinished ones are run again with the same parameters. The study that writes the journal
 * locks it (`<path>.lock`), so a second process on the same journal fails with `STORAGE_LOCKED`
 * instead of running every trial again; the lock of a process that died is taken over.
 *
 * @param path - the journal file, created if missing (its folder must exist)
 * @param options - `readOnly` to read without locking
 * @returns the storage
 * @example
 * const study = await randomSearch(space, objective, { trials: 50, storage: journalStorage('runs/lr.jsonl') });
 */
export function journalStorage(path: string, options: JournalStorageOptions = {}): StudyStorage {
  if (typeof path !== 'string' || path.length === 0) {
    throw new NnkitError('INVALID_ARGUMENT', `journalStorage(): path ${JSON.stringify(path)}; expected a non-empty file path`);
  }
  checkOptionKeys(options, ['readOnly'], 'journalStorage()');
  const readOnly = options.readOnly === true;
  let fs: Fs | undefined;
  let fd: number | undefined;
  let lock: JournalLock | undefined;
  const release = () => {
    lock?.release();
    lock = undefined;
  };
  return {
    async load(warn) {
      if (!isNode()) {
        throw new NnkitError(
          'STORAGE_UNAVAILABLE',
          `journal file '${path}' needs Node.js; in a browser use memoryStorage() or a storage of your own`,
        );
      }
      fs = await nodeImport<Fs>('node:fs');
      checkPath(fs, (await nodeImport<typeof import('node:path')>('node:path')).dirname, path);
      // Lock before reading: what is read must be what this study alone goes on writing.
      if (!readOnly && !lock) lock = await lockJournal(path, warn);
      try {
        const text = fs.existsSync(path) ? fs.readFileSync(path, 'utf8') : '';
        const events = parseJournal(text, `journal '${path}'`, warn);
        if (!readOnly && fd === undefined) {
          fd = fs.openSync(path, 'a');
          // A torn last line must not swallow the next event: start it on a fresh line.
          if (text.length > 0 && !text.endsWith('\n')) fs.writeSync(fd, '\n');
        }
        return events;
      } catch (e) {
        release();
        if (e instanceof NnkitError) throw e;
        throw new NnkitError('STORAGE_UNAVAILABLE', `journal '${path}' cannot be read or opened: ${(e as Error).message}`);
      }
    },
    append(event) {
      if (readOnly) throw new NnkitError('INVALID_ARGUMENT', `journal '${path}' was opened read-only; expected a journalStorage() without readOnly`);
      if (!fs || fd === undefined) {
        throw new NnkitError('INVALID_ARGUMENT', `journal '${path}': append before load; a study loads its storage first`);
      }
      lock?.check();
      fs.writeSync(fd, `${JSON.stringify(event)}\n`);
      fs.fsyncSync(fd);
    },
    close() {
      if (fs && fd !== undefined) fs.closeSync(fd);
      fd = undefined;
      release();
    },
  };
}
