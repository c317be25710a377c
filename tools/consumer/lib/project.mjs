// The packages as a user gets them: each packed with `pnpm pack`, all installed with npm into a
// fresh npm project (npm fetches third-party dependencies as for any user).
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Packs every package under packages/ into `dest`.
 *
 * @param root - the repository
 * @param dest - the folder for the tarballs
 * @returns package name → tarball path
 */
export async function packAll(root, dest) {
  const tarballs = {};
  for (const dir of (await readdir(join(root, 'packages'))).sort()) {
    const cwd = join(root, 'packages', dir);
    const { name, version } = JSON.parse(await readFile(join(cwd, 'package.json'), 'utf8'));
    await run('pnpm', ['pack', '--pack-destination', dest], { cwd });
    tarballs[name] = join(dest, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
  }
  return tarballs;
}

/**
 * Creates an npm project in `dir` and installs the tarballs into it.
 *
 * @param dir - an empty folder
 * @param tarballs - from {@link packAll}
 */
export async function npmProject(dir, tarballs) {
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: 'nnkit-consumer-app', private: true, type: 'module' }, null, 2)}\n`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...Object.values(tarballs)], { cwd: dir });
}

/**
 * Runs a script with Node in the project and parses the JSON line it prints.
 *
 * @param dir - the project
 * @param script - path of the script inside it
 * @returns the parsed line
 */
export async function runNode(dir, script) {
  const { stdout } = await run(process.execPath, [script], { cwd: dir });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

/**
 * Every folder named `name` in the project's node_modules tree (to count copies of a package).
 *
 * @param dir - the project
 * @param name - a package name
 * @returns the paths relative to the project's node_modules
 */
export async function installedCopies(dir, name) {
  const entries = await readdir(join(dir, 'node_modules'), { recursive: true });
  return entries.filter((p) => p === name || p.endsWith(`/node_modules/${name}`));
}
