// Reading an Optuna journal as Optuna 3.1's JournalFileStorage.read_logs does
// (optuna/storages/_journal/file.py): line by line from where the last read stopped; a line that
// is not JSON fails the read unless it is the last one, which a writer may still be writing.
// Under the journal's lock nobody is writing, so a last line cut short is a writer that died
// mid-write: it is cut off, since the next append would bury it where Optuna fails on it.
import { NnkitError } from './errors';
import { JournalState, type JournalLog, whyNotLog } from './optuna-journal-state';
import { parsePyJson } from './optuna-json';

type Fs = typeof import('node:fs');

/** How every record begins, as Python's json.dumps writes the dict Optuna builds op_code first. */
const RECORD_START = '{"op_code": ';

/** A journal read incrementally into a {@link JournalState}. */
export class JournalReader {
  readonly state = new JournalState();
  /** Bytes of the file replayed so far (always the end of a whole line). */
  offset = 0;
  lineNo = 0;
  readonly where: string;

  constructor(readonly path: string) {
    this.where = `Optuna journal '${path}'`;
  }

  /**
   * Reads and applies what was appended since the last call. Throws STORAGE_MISMATCH for a file
   * of another format or a damaged line before the last.
   *
   * @param f - node:fs
   * @param locked - whether the caller holds the journal's lock (then a torn end is repaired)
   * @param warn - told about a torn line cut off
   */
  sync(f: Fs, locked: boolean, warn: (m: string) => void): void {
    const size = f.statSync(this.path).size;
    if (size < this.offset) throw new NnkitError('STORAGE_MISMATCH', `${this.where} shrank from ${this.offset} to ${size} bytes while open; expected an append-only journal`);
    const base = this.offset;
    const buf = Buffer.alloc(size - base);
    const fd = f.openSync(this.path, 'r');
    try {
      f.readSync(fd, buf, 0, buf.length, base);
    } finally {
      f.closeSync(fd);
    }
    let start = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(0x0a, start);
      const end = nl === -1 ? buf.length : nl + 1;
      const text = buf.subarray(start, nl === -1 ? buf.length : nl).toString('utf8');
      const last = end === buf.length;
      let parsed: unknown;
      let bad: string | undefined;
      let unparsable = false;
      try {
        parsed = parsePyJson(text);
        bad = whyNotLog(parsed);
      } catch (e) {
        bad = (e as Error).message;
        unparsable = true;
      }
      const n = this.lineNo + 1;
      if (bad !== undefined) {
        // Torn: the last line, cut short, of a record as Optuna and nnkit begin every one.
        const torn = last && unparsable && (text.startsWith(RECORD_START) || RECORD_START.startsWith(text));
        if (!torn && n === 1) throw new NnkitError('STORAGE_MISMATCH', `file '${this.path}' is not an Optuna journal: line 1 ${bad} (${text.slice(0, 60)}); expected Optuna's JournalStorage records`);
        if (!torn) throw new NnkitError('STORAGE_MISMATCH', `${this.where} line ${n} is damaged (${bad}); Optuna cannot read this file either — only a torn last line can be repaired`);
        // Someone holding the lock may still be writing it: cut it off only under the lock.
        if (locked) {
          f.truncateSync(this.path, base + start);
          warn(`${this.where}: removed a torn last line ${n} (${end - start} bytes: ${text.slice(0, 60)}), left by a writer that stopped mid-write`);
        }
        return;
      }
      if (nl === -1) {
        // A whole record without its newline: finish the line, or the next append would join it.
        if (!locked) return;
        f.appendFileSync(this.path, '\n');
      }
      try {
        this.state.apply(parsed as JournalLog);
      } catch (e) {
        if (e instanceof NnkitError) throw new NnkitError(e.code, `${this.where} line ${n}: ${e.message}`);
        throw e;
      }
      this.lineNo = n;
      this.offset += end - start + (nl === -1 ? 1 : 0);
      start = end;
    }
  }
}
