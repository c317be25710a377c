/**
 * @nnkit/regularizers — L2, L1 and L1+L2 penalties with the course's scaling, early stopping that
 * can restore the best weights, and data augmentation for image batches.
 * @packageDocumentation
 */
export { l1, l2, l1l2 } from './weight-penalty';
export type { Regularizer } from './weight-penalty';
export type { BatchLogs, Callback, EpochLogs, TrainableModel } from './callbacks';
export { earlyStopping } from './early-stopping';
export type { EarlyStopping, EarlyStoppingOptions } from './early-stopping';
export type { Augmentation, ImageLayout } from './augmentation/image-batch';
export { randomShift } from './augmentation/random-shift';
export type { RandomShiftOptions } from './augmentation/random-shift';
export { randomFlip } from './augmentation/random-flip';
export type { RandomFlipOptions } from './augmentation/random-flip';
export { randomRotation, MAX_ROTATION_DEGREES } from './augmentation/random-rotation';
export type { RandomRotationOptions } from './augmentation/random-rotation';
export { gaussianNoise } from './augmentation/gaussian-noise';
export type { GaussianNoiseOptions } from './augmentation/gaussian-noise';
export { augment } from './augmentation/augment';
