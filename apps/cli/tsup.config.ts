import { defineConfig } from 'tsup';

// Two entries: the command itself, and the tuning objective that @nnkit/tuning loads in each worker.
export default defineConfig({
  entry: { bin: 'src/bin.ts', 'tune-objective': 'src/tune/objective-module.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
});
