// Two entries: the main one, and @nnkit/data/mnist, the only one that imports the optional `mnist`.
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.ts';

export default defineConfig(packageBuild({ entry: { index: 'src/index.ts', mnist: 'src/mnist.ts' } }));
