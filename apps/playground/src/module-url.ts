// Where a module the workers load lives: its TypeScript source under the dev server, or the build
// entry of the same name (see vite.config.ts) in the static site.

/** The modules loaded by URL: the two page workers and the tuning objective. */
export type EntryName = 'training-worker' | 'race-worker' | 'tuning-objective';

const SOURCES: Record<EntryName, string> = {
  'training-worker': '/src/training/worker.ts',
  'race-worker': '/src/surfaces/race-worker.ts',
  'tuning-objective': '/src/tuning/objective.ts',
};

/**
 * The absolute URL of an entry module.
 *
 * @param name - which entry
 * @returns its URL for `new Worker(url, { type: 'module' })` or a dynamic import
 * @example
 * new Worker(entryUrl('training-worker'), { type: 'module' });
 */
export function entryUrl(name: EntryName): URL {
  return new URL(import.meta.env.DEV ? SOURCES[name] : `./assets/${name}.js`, document.baseURI);
}
