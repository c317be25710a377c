// The build every package shares: ESM + CJS with their own type declarations, for ES2022.
// A package with Node-only code (file I/O) builds twice — dist/ for browsers and every other
// runtime, dist/node/ for Node. The two builds differ only where the package's subpath imports
// (`#platform`-style entries of package.json "imports") pick Node-only modules under the `node`
// condition; the exports map hands dist/node/ to Node and dist/ to everyone else, so a browser
// bundler never meets a node: module. Both builds have the same API, so dist/'s declarations
// serve both.
import { defineConfig, type Options } from 'tsup';

export interface PackageBuildOptions {
  /** Entry names to source files (default `{ index: 'src/index.ts' }`). */
  entry?: Record<string, string>;
  /** Also build dist/node/ with the `node` condition (for packages with Node-only code). */
  node?: boolean;
}

const common: Options = {
  format: ['esm', 'cjs'],
  sourcemap: true,
  target: 'es2022',
};

/**
 * The builds of a package.
 *
 * @param opts - entries, and whether a separate Node build exists
 * @returns tsup options: the default build with declarations, then the Node build if asked
 * @example
 * export default defineConfig(packageBuild({ node: true }));
 */
export function packageBuild(opts: PackageBuildOptions = {}): Options[] {
  const entry = opts.entry ?? { index: 'src/index.ts' };
  if (!opts.node) return [{ ...common, entry, outDir: 'dist', dts: true, clean: true }];
  return [
    // Cleans all but dist/node/, which the second build writes at the same time.
    { ...common, entry, outDir: 'dist', platform: 'browser', dts: true, clean: ['!node/**'] },
    { ...common, entry, outDir: 'dist/node', platform: 'node', clean: true },
  ];
}

export default defineConfig(packageBuild());
