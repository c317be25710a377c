// Whether the process that claimed a trial is gone: owners are written as `<host>:<pid>#<tag>`, and
// only a process on this host can be looked up (signal 0 tests that a process exists).

/**
 * True when `owner` names a process on `host` that no longer runs.
 *
 * @param owner - the trial's owner, `<host>:<pid>#<tag>` (undefined: unknown, never gone)
 * @param host - this machine's host name
 * @returns whether that process is known to be gone
 */
export function processGone(owner: string | undefined, host: string): boolean {
  const m = owner?.match(/^(.*):(\d+)(#.*)?$/);
  if (!m || m[1] !== host) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code !== 'EPERM';
  }
}
