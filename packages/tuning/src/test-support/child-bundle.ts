// Child processes in tests run plain JavaScript: the sources bundled once with the esbuild that
// tsup ships. The bundle is written inside this package so that what it imports at run time
// (proper-lockfile) resolves from the package's own node_modules, as it does from dist/.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Bundles src/index.ts into a temporary ESM file children can import.
 *
 * @returns the bundle's path and a function removing it
 * @example
 * const { entry, remove } = await bundleForChildren(); … remove();
 */
export async function bundleForChildren(): Promise<{ entry: string; remove: () => void }> {
  const dir = mkdtempSync(fileURLToPath(new URL('../../node_modules/.child-bundle-', import.meta.url)));
  const entry = join(dir, 'tuning.mjs');
  const require = createRequire(import.meta.url);
  const esbuild = createRequire(require.resolve('tsup'))('esbuild');
  await esbuild.build({ entryPoints: [fileURLToPath(new URL('../index.ts', import.meta.url))], bundle: true, format: 'esm', platform: 'node', outfile: entry, logLevel: 'error' });
  return { entry, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
