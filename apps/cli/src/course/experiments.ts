// The course's experiments: its networks, hyperparameters and published accuracies, as data.
// Sources: the programming exercises of "Improving Deep Neural Networks" (Initialization,
// Regularization, Optimization Methods with its learning-rate-decay part).
import { dense, dropout, type Initializer, type Layer } from '@nnkit/layers';
import { adam, inverseTimeDecay, momentum, sgd } from '@nnkit/optimizers';
import { l2 } from '@nnkit/regularizers';

/** The experiment names of `nnkit course`. */
export const EXPERIMENTS = ['initialization', 'regularization', 'optimization', 'decay'] as const;
export type ExperimentName = (typeof EXPERIMENTS)[number];

/** One configuration of an experiment. */
export interface Variant {
  name: string;
  /** The course's accuracies (fractions); test is absent when the exercise reports training accuracy only. */
  published: { train: number; test?: number };
  layers(): Layer[];
  optimizer(): ReturnType<typeof sgd> | ReturnType<typeof adam> | ReturnType<typeof momentum>;
}

/** An experiment: data, training length and variants. */
export interface Experiment {
  name: ExperimentName;
  data: 'circles' | 'football' | 'moons';
  network: string;
  /** Passes over the training set (iterations for batch gradient descent). */
  epochs: number;
  /** null: batch gradient descent (the whole training set per step). */
  batchSize: number | null;
  variants: Variant[];
}

const threeLayer = (h1: number, h2: number, init: Initializer, extra: { reg?: number; drop?: number } = {}): Layer[] => {
  const regularizer = extra.reg ? l2(extra.reg) : undefined;
  // A layer belongs to one place in one model: each hidden layer gets its own dropout.
  const drop = (): Layer[] => (extra.drop ? [dropout(extra.drop)] : []);
  return [
    dense(h1, { activation: 'relu', init, regularizer }), ...drop(),
    dense(h2, { activation: 'relu', init, regularizer }), ...drop(),
    dense(1, { init, regularizer }),
  ];
};

/** The exercise's α for every optimizer in "Optimization Methods". */
const OPTIMIZATION_LR = 0.0007;
/** Fixed-interval scheduling: α0/(1 + 1·⌊epoch/1000⌋). */
const fixedInterval = (initial: number) => inverseTimeDecay({ initial, decayRate: 1, decaySteps: 1000, staircase: true, stepping: 'epoch' });

/** Every experiment, by name. */
export const COURSE: Record<ExperimentName, Experiment> = {
  initialization: {
    name: 'initialization',
    data: 'circles',
    network: '2 → 10 ReLU → 5 ReLU → 1 sigmoid, batch gradient descent, α 0.01, 15,000 iterations',
    epochs: 15_000,
    batchSize: null,
    variants: [
      { name: 'zeros', published: { train: 0.5, test: 0.5 }, layers: () => threeLayer(10, 5, 'zeros'), optimizer: () => sgd({ learningRate: 0.01 }) },
      { name: 'large random (×10)', published: { train: 0.83, test: 0.86 }, layers: () => threeLayer(10, 5, { scale: 10 }), optimizer: () => sgd({ learningRate: 0.01 }) },
      { name: 'He', published: { train: 0.99, test: 0.96 }, layers: () => threeLayer(10, 5, 'he'), optimizer: () => sgd({ learningRate: 0.01 }) },
    ],
  },
  regularization: {
    name: 'regularization',
    data: 'football',
    network: '2 → 20 ReLU → 3 ReLU → 1 sigmoid, Xavier init, batch gradient descent, α 0.3, 30,000 iterations',
    epochs: 30_000,
    batchSize: null,
    variants: [
      { name: 'none', published: { train: 0.948, test: 0.915 }, layers: () => threeLayer(20, 3, 'xavier'), optimizer: () => sgd({ learningRate: 0.3 }) },
      { name: 'L2 λ = 0.7', published: { train: 0.938, test: 0.93 }, layers: () => threeLayer(20, 3, 'xavier', { reg: 0.7 }), optimizer: () => sgd({ learningRate: 0.3 }) },
      { name: 'dropout keep 0.86', published: { train: 0.929, test: 0.95 }, layers: () => threeLayer(20, 3, 'xavier', { drop: 0.14 }), optimizer: () => sgd({ learningRate: 0.3 }) },
    ],
  },
  optimization: {
    name: 'optimization',
    data: 'moons',
    network: '2 → 5 ReLU → 2 ReLU → 1 sigmoid, He init, mini-batches of 64, α 0.0007, 5,000 epochs',
    epochs: 5000,
    batchSize: 64,
    variants: [
      { name: 'mini-batch GD', published: { train: 0.797 }, layers: () => threeLayer(5, 2, 'he'), optimizer: () => sgd({ learningRate: OPTIMIZATION_LR }) },
      { name: 'momentum β 0.9', published: { train: 0.797 }, layers: () => threeLayer(5, 2, 'he'), optimizer: () => momentum({ learningRate: OPTIMIZATION_LR, beta: 0.9 }) },
      { name: 'Adam', published: { train: 0.94 }, layers: () => threeLayer(5, 2, 'he'), optimizer: () => adam({ learningRate: OPTIMIZATION_LR }) },
    ],
  },
  decay: {
    name: 'decay',
    data: 'moons',
    network: '2 → 5 ReLU → 2 ReLU → 1 sigmoid, He init, mini-batches of 64, 5,000 epochs, α0/(1 + ⌊epoch/1000⌋)',
    epochs: 5000,
    batchSize: 64,
    variants: [
      { name: 'GD, α0 0.1', published: { train: 0.94 }, layers: () => threeLayer(5, 2, 'he'), optimizer: () => sgd({ learningRate: fixedInterval(0.1) }) },
      { name: 'momentum, α0 0.1', published: { train: 0.95 }, layers: () => threeLayer(5, 2, 'he'), optimizer: () => momentum({ learningRate: fixedInterval(0.1), beta: 0.9 }) },
      { name: 'Adam, α0 0.01', published: { train: 0.94 }, layers: () => threeLayer(5, 2, 'he'), optimizer: () => adam({ learningRate: fixedInterval(0.01) }) },
    ],
  },
};
