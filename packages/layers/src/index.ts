// @nnkit/layers — work in progress; see the package README.
export {};
