// What one training run is made of: every control of the page as plain, structured-cloneable data,
// so the same object can be posted to a worker, stored in a tuning space and rebuilt in Node.

/** The 2-D toy problems and the MNIST digits. */
export type DatasetName = 'moons' | 'circles' | 'spiral' | 'blobs' | 'mnist';
export type ActivationChoice = 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid';
/** The course's initializations: zeros (symmetry never breaks), small random, He, Xavier. */
export type InitChoice = 'zeros' | 'random' | 'he' | 'xavier';
export type OptimizerChoice = 'gd' | 'momentum' | 'rmsprop' | 'adam';
/** Learning-rate decay, all per epoch as in the course. */
export type ScheduleChoice = 'constant' | 'inverseTime' | 'exponential' | 'inverseSqrt' | 'staircase';

/** Every setting of a run. */
export interface RunConfig {
  dataset: DatasetName;
  /** Examples generated for the toy problems (MNIST always uses its 10,000 digits). */
  examples: number;
  /** Noise of the toy problem (see datasets.ts for what it means per problem). */
  noise: number;
  /** Share of the examples used for training; the rest is the dev set. */
  trainFraction: number;
  hiddenLayers: number;
  units: number;
  activation: ActivationChoice;
  init: InitChoice;
  optimizer: OptimizerChoice;
  learningRate: number;
  /** Momentum's β, and Adam's β1. */
  beta: number;
  /** Adam's β2. */
  beta2: number;
  /** RMSprop's ρ, named as @nnkit/optimizers names it. */
  rho: number;
  schedule: ScheduleChoice;
  /** inverseTime/staircase: the rate of α0/(1 + rate·epoch); exponential: the base of α0·rate^epoch. */
  decayRate: number;
  batchSize: number;
  /** The course's λ of λ/(2m)·Σ‖W‖², on every kernel. */
  l2: number;
  /** Probability of dropping a hidden unit (0 turns dropout off). */
  dropout: number;
  batchNorm: boolean;
  /** Seeds the data, the split, the initial weights, the batch order and the dropout masks. */
  seed: number;
}

/** The page's starting point: a problem a small network solves in a few seconds. */
export const DEFAULT_CONFIG: RunConfig = {
  dataset: 'circles',
  examples: 600,
  noise: 0.1,
  trainFraction: 0.7,
  hiddenLayers: 2,
  units: 8,
  activation: 'relu',
  init: 'he',
  optimizer: 'adam',
  learningRate: 0.01,
  beta: 0.9,
  beta2: 0.999,
  // The page's RMSprop has always started at 0.999 (it shared Adam's β2 slider); rmsprop()'s own default is 0.9.
  rho: 0.999,
  schedule: 'constant',
  decayRate: 0.95,
  batchSize: 32,
  l2: 0,
  dropout: 0,
  batchNorm: false,
  seed: 1,
};

/** Epochs per step of the staircase schedule (the course's "fixed interval scheduling"). */
export const STAIRCASE_EPOCHS = 10;

/** Range limits the page's controls enforce, checked again here because configs also come from tests and the tuner. */
const LIMITS = {
  examples: [20, 5000],
  noise: [0, 1],
  trainFraction: [0.1, 0.95],
  hiddenLayers: [0, 6],
  units: [1, 256],
  learningRate: [1e-6, 10],
  beta: [0, 0.9999],
  beta2: [0, 0.99999],
  rho: [0, 0.99999],
  decayRate: [0, 10],
  batchSize: [1, 10000],
  l2: [0, 100],
  dropout: [0, 0.95],
  seed: [0, 2 ** 32 - 1],
} as const;

/**
 * Fills the missing settings of `partial` from {@link DEFAULT_CONFIG} and rejects values outside the
 * page's ranges, naming the setting.
 *
 * @param partial - any subset of the settings
 * @returns a complete, checked config
 * @example
 * const config = resolveConfig({ dataset: 'moons', optimizer: 'momentum' });
 */
export function resolveConfig(partial: Partial<RunConfig> = {}): RunConfig {
  const config = { ...DEFAULT_CONFIG, ...partial };
  for (const [key, [low, high]] of Object.entries(LIMITS)) {
    const value = config[key as keyof RunConfig];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < low || value > high) {
      throw new RangeError(`playground config: ${key} = ${String(value)}; expected a number in [${low}, ${high}]`);
    }
  }
  for (const key of ['examples', 'hiddenLayers', 'units', 'batchSize', 'seed'] as const) {
    if (!Number.isInteger(config[key])) throw new RangeError(`playground config: ${key} = ${config[key]}; expected an integer`);
  }
  return config;
}
