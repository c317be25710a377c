/**
 * @nnkit/optimizers — SGD, momentum (course and heavy-ball forms, Nesterov), RMSprop, Adam and AdamW
 * as one fused WebAssembly SIMD pass per parameter, in float32 and float64, and learning-rate schedules.
 * @packageDocumentation
 */
export type { Optimizer, OptimizerState, Param, SlotState } from './types';
export { FLUSH_SUBNORMALS_EVERY, FusedOptimizer } from './fused-optimizer';
export type { CommonOptions } from './fused-optimizer';
export { sgd, Sgd } from './sgd';
export type { SgdOptions } from './sgd';
export { momentum, Momentum, MOMENTUM_BETA } from './momentum';
export type { MomentumForm, MomentumOptions } from './momentum';
export { rmsprop, Rmsprop, RMSPROP_EPSILON, RMSPROP_RHO } from './rmsprop';
export type { RmspropOptions } from './rmsprop';
export { adam, Adam, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, ADAM_LEARNING_RATE } from './adam';
export type { AdamOptions } from './adam';
export { adamw, ADAMW_WEIGHT_DECAY } from './adamw';
export type { LearningRate, Schedule, Stepping, SteppingOptions } from './schedules/schedule';
export { inverseTimeDecay } from './schedules/inverse-time-decay';
export type { InverseTimeDecayOptions } from './schedules/inverse-time-decay';
export { exponentialDecay } from './schedules/exponential-decay';
export type { ExponentialDecayOptions } from './schedules/exponential-decay';
export { inverseSqrtDecay } from './schedules/inverse-sqrt-decay';
export type { InverseSqrtDecayOptions } from './schedules/inverse-sqrt-decay';
export { stepDecay } from './schedules/step-decay';
export type { StepDecayOptions } from './schedules/step-decay';
export { piecewiseConstant } from './schedules/piecewise-constant';
export type { PiecewiseConstantOptions } from './schedules/piecewise-constant';
export { cosineDecay } from './schedules/cosine-decay';
export type { CosineDecayOptions } from './schedules/cosine-decay';
export { linearWarmup } from './schedules/linear-warmup';
export type { LinearWarmupOptions } from './schedules/linear-warmup';
export { reduceOnPlateau, PLATEAU_FACTOR, PLATEAU_MIN_DELTA, PLATEAU_PATIENCE } from './schedules/reduce-on-plateau';
export type { PlateauSchedule, PlateauState, ReduceOnPlateauOptions } from './schedules/reduce-on-plateau';
