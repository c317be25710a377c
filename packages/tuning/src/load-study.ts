// Reading a study back from its storage — while another process is still running it, or after it
// was killed — without running anything.
import { NnkitError } from './errors';
import { journalStorage } from './journal-storage';
import { replay } from './records';
import type { StudyStorage } from './storage';
import { Study } from './study';

/**
 * Loads a study's trials from a journal path or a storage. Trials that never finished appear
 * with state 'running'.
 *
 * @param storage - a journal file path (Node) or a {@link StudyStorage}
 * @param onWarning - receives a message per skipped damaged record (default console.warn)
 * @returns the study as stored
 * @example
 * const study = await loadStudy('study.jsonl');
 * console.log(study.table({ top: 10 }));
 */
export async function loadStudy(storage: string | StudyStorage, onWarning: (m: string) => void = (m) => console.warn(m)): Promise<Study> {
  // A path is only read: no lock, so a study that another process is running can be loaded.
  const s = typeof storage === 'string' ? journalStorage(storage, { readOnly: true }) : storage;
  try {
    const { header, records } = replay(await s.load(onWarning), (i, why) => onWarning(`loadStudy(): stored event ${i + 1} skipped: ${why}`));
    if (!header) {
      throw new NnkitError('INVALID_ARGUMENT', `loadStudy(): ${typeof storage === 'string' ? storage : 'the storage'} holds no study header; expected a study written by a search`);
    }
    return new Study(header.direction, header.sampler, header.seed, records);
  } finally {
    await s.close?.();
  }
}
