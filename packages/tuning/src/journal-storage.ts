// The file journal: one JSON event per line, each written with a single write and fsynced before
// the study moves on, so a SIGKILL loses at most the line being written. On load, a line that does
// not parse (a torn last write, a hand edit) is skipped with a warning and every other line is kept.
import { NnkitError } from './errors';
import { isNode, nodeImport } from './node-import';
import { isStudyEvent, type StudyEvent, type StudyStorage } from './storage';

type Fs = typeof import('node:fs');

/**
 * A JSON-lines journal file (Node only); `storage: 'study.jsonl'` is shorthand for it. A study
 * killed at any moment is resumed by running the same call again: finished trials are read back,
 * unfinished ones are run again with the same parameters.
 *
 * @param path - the journal file, created if missing
 * @returns the storage
 * @example
 * const study = await randomSearch(space, objective, { trials: 50, storage: journalStorage('runs/lr.jsonl') });
 */
export function journalStorage(path: string): StudyStorage {
  if (typeof path !== 'string' || path.length === 0) {
    throw new NnkitError('INVALID_ARGUMENT', `journalStorage(): path ${JSON.stringify(path)}; expected a non-empty file path`);
  }
  let fs: Fs | undefined;
  let fd: number | undefined;
  return {
    async load(warn) {
      if (!isNode()) {
        throw new NnkitError(
          'STORAGE_UNAVAILABLE',
          `journal file ${path} needs Node.js; in a browser use memoryStorage() or a storage of your own`,
        );
      }
      fs = await nodeImport<Fs>('node:fs');
      const events: StudyEvent[] = [];
      let text = '';
      if (fs.existsSync(path)) text = fs.readFileSync(path, 'utf8');
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch (e) {
          warn(`journal ${path} line ${i + 1}: unreadable record skipped (${(e as Error).message})`);
          return;
        }
        if (isStudyEvent(parsed)) events.push(parsed);
        else warn(`journal ${path} line ${i + 1}: record is not a study event, skipped: ${line.slice(0, 80)}`);
      });
      if (fd === undefined) {
        fd = fs.openSync(path, 'a');
        // A torn last line must not swallow the next event: start it on a fresh line.
        if (text.length > 0 && !text.endsWith('\n')) fs.writeSync(fd, '\n');
      }
      return events;
    },
    append(event) {
      if (!fs || fd === undefined) {
        throw new NnkitError('INVALID_ARGUMENT', `journal ${path}: append before load; a study loads its storage first`);
      }
      fs.writeSync(fd, `${JSON.stringify(event)}\n`);
      fs.fsyncSync(fd);
    },
    close() {
      if (fs && fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    },
  };
}
