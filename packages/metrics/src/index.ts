// @nnkit/metrics — work in progress; see the package README.
export {};
