// The playground consumes the nnkit packages from their TypeScript sources (the `source` export
// condition), so `dev` and `build` need no prior build of the packages and always show the code in
// the tree. Workers are ES modules because training, the optimizer race and the tuning trials all
// import the same packages.
import { defaultClientConditions, defineConfig } from 'vite';

/**
 * Where the build puts the tuning objective. @nnkit/tuning imports it by URL in each trial's worker
 * and reads its default export, so it is a second entry whose exports are kept (a `?worker` bundle
 * would drop them), at a fixed name the page can point to.
 */
export const OBJECTIVE_FILE = 'assets/tuning-objective.js';

export default defineConfig({
  base: './',
  resolve: { conditions: ['source', ...defaultClientConditions] },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // The MNIST digits (the `mnist` package's 21 MB of JSON) are one lazily loaded chunk by design.
    chunkSizeWarningLimit: 30_000,
    // The tuning objective is built with the page but runs in workers, which have no `document`
    // for Vite's preload helper to add <link rel=modulepreload> tags to (its dynamic import of the
    // MNIST digits failed with "document is not defined"); without JS preloading the helper only
    // imports.
    modulePreload: false,
    rolldownOptions: {
      input: { index: 'index.html', objective: 'src/tuning/objective.ts' },
      preserveEntrySignatures: 'exports-only',
      output: {
        entryFileNames: (chunk) => (chunk.name === 'objective' ? OBJECTIVE_FILE : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
