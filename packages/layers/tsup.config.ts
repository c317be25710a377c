// Two builds: dist/node/ saves and loads directories with node:fs (src/io/node-files.ts); dist/,
// for browsers, has no file system (src/io/node-files-unavailable.ts).
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.ts';

export default defineConfig(packageBuild({ node: true }));
