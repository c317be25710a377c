// @nnkit/optimizers — work in progress; see the package README.
export {};
