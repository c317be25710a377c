// Two builds: dist/node/ reads file: URLs with node:fs (src/platform/node.ts), dist/ fetches them.
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.ts';

export default defineConfig(packageBuild({ node: true }));
