// @nnkit/data — work in progress; see the package README.
export {};
