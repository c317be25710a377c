// @nnkit/tuning — work in progress; see the package README.
export {};
