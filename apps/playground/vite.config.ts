// The playground consumes the nnkit packages from their TypeScript sources (the `source` export
// condition), so `dev` and `build` need no prior build of the packages and always show the code in
// the tree. Workers are ES modules because training, the optimizer race and the tuning trials all
// import the same packages.
import { defaultClientConditions, defineConfig } from 'vite';

/**
 * Modules that run in workers are build entries of their own, at fixed names the page points to
 * (src/module-url.ts), rather than Vite's per-worker bundles: @nnkit/tuning imports the objective by
 * URL and reads its default export, which a worker bundle would drop, and as entries of one build
 * all three share one copy of nnkit and of the 21 MB of MNIST digits.
 */
const WORKER_ENTRIES: Record<string, string> = {
  'training-worker': 'src/training/worker.ts',
  'race-worker': 'src/surfaces/race-worker.ts',
  'tuning-objective': 'src/tuning/objective.ts',
};

/** The headers that make a page cross-origin isolated (`crossOriginIsolated`), as production hosting must send them too. */
export const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

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
    // The worker entries are built with the page but run in workers, which have no `document` for
    // Vite's preload helper to add <link rel=modulepreload> tags to (their dynamic import of the
    // MNIST digits failed with "document is not defined"); without JS preloading the helper only
    // imports.
    modulePreload: false,
    rolldownOptions: {
      input: { index: 'index.html', ...WORKER_ENTRIES },
      // Node's built-ins appear only in @nnkit/layers' directory saving and loading, a chunk reached
      // by a dynamic import behind an isNode() check that a browser never takes: left as imports.
      external: [/^node:/],
      preserveEntrySignatures: 'exports-only',
      output: {
        entryFileNames: (chunk) => (chunk.name in WORKER_ENTRIES ? 'assets/[name].js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  // Cross-origin isolation gives the page shared memory, so nnkit's kernels run on several threads
  // (init({ threads: 'auto' }) uses one thread on a page without it).
  server: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION },
  preview: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION },
});
