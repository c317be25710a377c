// Whether a path exists as itself, a symlink included: Optuna's lock is a symlink whose target
// (`nnkit:<host>:<pid>`) is no file, so existsSync, which follows links, reports a held lock as absent.
import { lstatSync } from 'node:fs';

export function linkExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
