// Two builds: dist/node/ reads file: URLs with node:fs (src/platform/node.ts), dist/ fetches them.
// Both bundle @thi.ng/malloc (the allocator) and its small @thi.ng dependencies: they are ESM only,
// which a CommonJS `require` of Node before 20.19 cannot load, and bundled they add about 2.4 KB
// gzipped. `import.meta.env`, which @thi.ng/errors reads to decide whether its assertions run, is
// empty in a CommonJS file: defined away, the assertions (two constructor checks) stay on and
// neither format carries an `import.meta`.
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.ts';

const THI_NG_NOTICE =
  '/*! Bundles @thi.ng/malloc 6.1.150 and @thi.ng/api, binary, checks, errors, (c) Karsten Schmidt and contributors, Apache License 2.0: http://www.apache.org/licenses/LICENSE-2.0 */';

export default defineConfig(
  packageBuild({ node: true }).map((build) => ({
    ...build,
    noExternal: [/^@thi\.ng\//],
    define: { 'import.meta.env': 'undefined' },
    banner: { js: THI_NG_NOTICE },
  })),
);
