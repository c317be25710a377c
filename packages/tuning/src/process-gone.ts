// Whether the process that claimed a trial is gone: owners are written as `<host>:<pid>#<tag>`, and
// only a process on this host can be looked up.

/**
 * True when `owner` names a process on `host` that no longer runs.
 *
 * @param owner - the trial's owner, `<host>:<pid>#<tag>` (undefined: unknown, never gone)
 * @param host - this machine's host name
 * @returns whether that process is known to be gone
 */
export function processGone(owner: string | undefined, host: string): boolean {
  const m = owner?.match(/^(.*):(\d+)(#.*)?$/);
  return m !== null && m !== undefined && m[1] === host && !isRunning(Number(m[2]));
}

/**
 * Whether a process of this machine runs (signal 0 only checks that it exists).
 *
 * @param pid - its process id
 * @returns true when it runs, as any user
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
