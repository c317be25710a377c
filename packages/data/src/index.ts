/**
 * @nnkit/data — train/dev/test splits, a distribution check, standardization, mini-batches,
 * one-hot encoding and data sets (moons, circles, spiral, Gaussian blobs; MNIST is the separate
 * entry `@nnkit/data/mnist`).
 * @packageDocumentation
 */
export { split } from './split';
export type { Split, SplitOptions, SplitPart } from './split';
export type { SplitSizes } from './split-sizes';
export { sameDistribution, DEFAULT_ALPHA } from './same-distribution';
export type { DistributionReport, ExampleSet, FeatureComparison, SameDistributionOptions } from './same-distribution';
export { standardizer, CONSTANT_FEATURE_EPSILONS } from './standardizer';
export type { Standardizer, StandardizerFactory } from './standardizer';
export { batches } from './batches';
export type { Batch, BatchInfo, Batches, BatchOptions, BatchTransform } from './batches';
export { streamBatches } from './stream-batches';
export type { StreamBatch, StreamBatchOptions, StreamChunk } from './stream-batches';
export { oneHot } from './labels';
// The same function as @nnkit/tensor-wasm's argMax, re-exported so that existing imports keep working.
export { argMax } from '@nnkit/tensor-wasm';
export type { Labels } from './labels';
export type { Dataset, DatasetOptions } from './datasets/dataset';
export { moons } from './datasets/moons';
export type { MoonsOptions } from './datasets/moons';
export { circles } from './datasets/circles';
export type { CirclesOptions } from './datasets/circles';
export { spiral, SPIRAL_ARM_RADIANS } from './datasets/spiral';
export type { SpiralOptions } from './datasets/spiral';
export { gaussianBlobs } from './datasets/gaussian-blobs';
export type { GaussianBlobsOptions } from './datasets/gaussian-blobs';
