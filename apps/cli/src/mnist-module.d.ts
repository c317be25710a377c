// Type-checking runs on the packages' TypeScript sources (the `source` export condition), so
// @nnkit/data/mnist's dynamic import of the untyped `mnist` package needs a declaration here too.
declare module 'mnist';
