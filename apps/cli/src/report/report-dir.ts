// The report folder is checked before any training starts, so a typo or a read-only path costs
// nothing but an error message.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError } from '../errors';

/**
 * Creates `dir` (and its parents) and checks that files can be written in it.
 * @param dir - the report folder
 * @returns its absolute path
 * @throws CliError naming the folder and the reason
 */
export async function prepareReportDir(dir: string): Promise<string> {
  const path = resolve(dir);
  try {
    await mkdir(path, { recursive: true });
    const probe = join(path, `.nnkit-write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new CliError(`cannot write the report folder ${path} (${code}); expected a writable folder, choose one with --report <dir>`);
  }
  return path;
}
