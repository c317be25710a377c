// The playground consumes the nnkit packages from their TypeScript sources (the `source` export
// condition), so `dev` and `build` need no prior build of the packages and always show the code in
// the tree. Workers are ES modules because training, the optimizer race and the tuning trials all
// import the same packages.
import { defaultClientConditions, defineConfig } from 'vite';

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
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
