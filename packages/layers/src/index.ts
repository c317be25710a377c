/**
 * @nnkit/layers — layers, sequential models, losses from logits, mini-batch training and gradient
 * checking on the tensor-wasm kernels.
 * @packageDocumentation
 */
export { Layer } from './layer';
export type { BackwardOptions, BuildContext, ForwardOptions, LayerConfig } from './layer';
export { Dense, dense } from './dense';
export type { DenseArgs, DenseOptions } from './dense';
export { BatchNorm, batchNorm, BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM } from './batch-norm';
export type { BatchNormArgs, BatchNormOptions } from './batch-norm';
export { Dropout, dropout } from './dropout';
export type { DropoutArgs, DropoutOptions } from './dropout';
export { Activation, activation } from './activation-layer';
export { CustomLayer, layer, registerLayer } from './custom-layer';
export type {
  AddWeightOptions, CustomBuildContext, CustomBuildResult, CustomForwardContext, CustomLayerFactory, CustomLayerOptions, CustomLayerSpec, WeightInitializer,
} from './custom-layer';
export type { ActivationArgs, ActivationOptions } from './activation-layer';
export type { ActivationName } from './activations';
export { initialize, initializerScale, RANDOM_INIT_SCALE } from './initializers';
export type { Initializer, InitializerName } from './initializers';
export { softmaxCrossEntropy, sigmoidCrossEntropy, meanSquaredError } from './losses/index';
export type { LossFunction, LossName, LossResult } from './losses/index';
export { Sequential, sequential, EVAL_BATCH_SIZE } from './sequential';
export type { CompileOptions, EvaluateOptions, SequentialOptions } from './sequential';
export type { ApplyOptions, ModelParams } from './model-function';
export { DEFAULT_BATCH_SIZE } from './fit-options';
export type { FitBatches, FitOptions, TrainingBatch } from './fit-options';
export type { DivergedError, FitStep, History } from './fit';
export type { Metric, MetricFunction } from './metrics';
export { gradCheck, GRAD_CHECK_EPSILON, GRAD_CHECK_THRESHOLD } from './grad-check';
export type { GradCheckOptions, GradCheckResult } from './grad-check';
export type { BatchLogs, Callback, EpochLogs, Optimizer, Param, Regularizer, Targets, TrainableModel } from './types';
export type { RandomState } from './sequential';
export { loadModel } from './io/load-model';
export { modelArtifacts } from './io/save-model';
export { modelCheckpoint, CHECKPOINT_WEIGHTS } from './io/checkpoint';
export type { ModelCheckpoint, ModelCheckpointOptions } from './io/checkpoint';
export { DEFAULT_MAX_WEIGHT_BYTES } from './io/manifest-validation';
export type {
  LoadHandler, LoadOptions, ModelArtifacts, ModelJson, ModelSource, SaveHandler, SaveOptions, SaveTarget, WeightSpec, WeightsManifestGroup,
} from './io/artifacts';
export type { NnkitLayerExtras, NnkitMetadata, SavedOptimizer, SavedTraining } from './io/nnkit-metadata';
