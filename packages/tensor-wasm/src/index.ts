/**
 * @nnkit/tensor-wasm — tensors on AssemblyScript WebAssembly SIMD kernels.
 * @packageDocumentation
 */
export { init, backendInfo, isInitialized, simdSupported } from './backend';
export type { BackendInfo, InitOptions, WasmSource } from './backend';
export { NnkitError } from './errors';
export type { NnkitErrorCode } from './errors';
export { describeValue, tensorHint } from './describe-value';
export { checkOptionKeys } from './option-keys';
export type { DType } from './dtype';
export { Tensor } from './tensor';
export { memory, scope, keep, unscoped } from './tracking';
export { allocatorStats, trimPool } from './allocator';
export type { AllocatorStats } from './allocator';
export type { MemoryInfo } from './tracking';
export { createRng } from './rng';
export type { Rng } from './rng';
export { tensor, zeros, ones, full, randn, randu } from './creation';
export type { RandomOptions } from './creation';
export { matmul } from './gemm';
export type { MatmulOptions } from './gemm';
export {
  add, sub, mul, div, maximum, minimum, neg, abs, exp, log, sqrt, square, sign, relu, leakyRelu, sigmoid, tanh, affine,
  reluGrad, leakyReluGrad, sigmoidGrad, tanhGrad, LEAKY_RELU_ALPHA,
} from './elementwise';
export { sum, mean, max, min } from './reduce';
export { argMax } from './arg-max';
export type { ReduceOptions } from './reduce';
export { softmax, logSoftmax } from './softmax';
export { transpose, clone, cast, gatherRows, fill } from './copy';
export { concat } from './concat';
export type { OutOptions } from './ops-common';
export { denseForward, activationBackward, axpy, axpySign, sumSquares, sumAbs } from './fused';
export { softmaxCrossEntropyWithLogits, sigmoidCrossEntropyWithLogits, softmaxCrossEntropyLoss, sigmoidCrossEntropyLoss } from './cross-entropy';
export type { CrossEntropyLabels, CrossEntropyOptions } from './cross-entropy';
export { portableSin, portableCos, PORTABLE_TRIG_LIMIT } from './portable-trig';
export { portableLog } from './portable-log';
export type { FusedActivation, DenseForwardOptions, ActivationBackwardOptions } from './fused';
export { batchNormStatistics, batchNormNormalize, batchNormBackward } from './batch-norm';
export type { BatchNormStatisticsOptions, BatchNormNormalizeOptions, BatchNormBackwardOptions } from './batch-norm';
export { sgdUpdate, momentumUpdate, rmspropUpdate, adamUpdate, countNonFinite } from './optim';
export { flushSubnormals } from './subnormal';
export type { MomentumUpdateOptions, RmspropUpdateOptions, AdamUpdateOptions } from './optim';
export { grad, grads, valueAndGrad, valueAndGrads } from './autodiff/grad';
export { customGrad, stopGradient } from './autodiff/custom-grad';
export type { CustomGradResult } from './autodiff/custom-grad';
export type { TensorTree, GradTree } from './autodiff/structure';
export { vjp } from './autodiff/vjp';
export type { VjpResult } from './autodiff/vjp';
