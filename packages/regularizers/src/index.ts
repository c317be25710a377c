// @nnkit/regularizers — work in progress; see the package README.
export {};
