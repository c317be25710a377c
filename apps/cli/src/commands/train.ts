// `nnkit train`: the course's method end to end on one data set.
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ActivationName } from '@nnkit/layers';
import type { NormalizationKind } from '../data/normalize';
import { NORMALIZATIONS } from '../data/normalize';
import type { Io } from '../io';
import { DECAYS, type DecayName, OPTIMIZERS, type OptimizerName } from '../model/optimizer';
import { integer, integerList, oneOf, real, splitRatios } from '../options';
import { parseInit, runTrain } from '../train/run-train';

/** Initializer names accepted by --init (plus random:<scale>). */
export const INITS = ['he', 'xavier', 'lecun', 'glorotNormal', 'glorotUniform', 'random', 'zeros'] as const;
/** Hidden activations accepted by --activation. */
export const ACTIVATIONS = ['relu', 'leakyRelu', 'tanh', 'sigmoid'] as const;

/** The defaults reach ≥ 97% test accuracy on the MNIST split in about 40 s of training on 2 cores. */
export const TRAIN_DEFAULTS = {
  dataset: 'mnist',
  split: '80/10/10',
  layers: '256,128',
  dropout: 0.2,
  batchNorm: true,
  lr: 2e-3,
  decay: 'cosine',
  batchSize: 64,
  epochs: 40,
  patience: 10,
  report: 'nnkit-report',
} as const;

function initOption(value: string) {
  if ((INITS as readonly string[]).includes(value)) return parseInit(value);
  if (/^random:\d+(\.\d+)?$/.test(value)) return parseInit(value);
  throw new InvalidArgumentError(`Expected one of ${INITS.join(', ')}, or random:<scale> such as random:10.`);
}

interface RawTrainOptions {
  dataset: string;
  examples?: number;
  split: { train: number; dev: number; test: number };
  seed: number;
  normalize?: NormalizationKind;
  layers: number[];
  activation: ActivationName;
  init: ReturnType<typeof parseInit>;
  batchNorm: boolean;
  dropout: number;
  l2: number;
  optimizer: OptimizerName;
  lr: number;
  beta?: number;
  beta2?: number;
  rho?: number;
  decay: DecayName;
  decayRate?: number;
  decayEvery: number;
  batchSize: number;
  epochs: number;
  patience: number;
  augment: boolean;
  bayesError: number;
  report: string;
}

/**
 * Adds `train` to the program.
 * @param program - the root command
 * @param io - where the command prints
 * @param setExit - receives the command's exit code
 */
export function registerTrain(program: Command, io: Io, setExit: (code: number) => void): void {
  const d = TRAIN_DEFAULTS;
  program
    .command('train')
    .description('train a classifier end to end: split, normalize, gradient check, mini-batch training, diagnosis, report')
    .option('--dataset <name>', 'mnist, moons, circles, spiral, or csv:<path> (features, then an integer class)', d.dataset)
    .option('--examples <n>', 'use a stratified random subset of n examples', integer(10))
    .option('--split <shares>', 'train/dev/test shares, e.g. 80/10/10 or 98/1/1 (90/10: no test set)', splitRatios, splitRatios(d.split))
    .option('--seed <n>', 'seed of the split, the weights, the batches and the augmentation', integer(0), 1)
    .addOption(new Option('--normalize <kind>', 'feature (per-feature mean/std), global (one mean/std), none [default: global for images, feature otherwise]').argParser(oneOf(NORMALIZATIONS)))
    .option('--layers <units>', 'hidden layer sizes, comma-separated', integerList, integerList(d.layers))
    .option('--activation <name>', `hidden activation: ${ACTIVATIONS.join(', ')}`, oneOf(ACTIVATIONS), 'relu')
    .option('--init <name>', `initializer: ${INITS.join(', ')}, or random:<scale>`, initOption, parseInit('he'))
    .option('--batch-norm', 'batch-normalize z before each hidden activation (the default)', d.batchNorm)
    .option('--no-batch-norm', 'plain dense layers, no batch norm')
    .option('--dropout <rate>', 'dropout rate after each hidden layer (0 = none)', real(0, 0.95), d.dropout)
    .option('--l2 <lambda>', 'L2 regularization λ (course scaling λ/2m·ΣW²)', real(0, Infinity), 0)
    .option('--optimizer <name>', OPTIMIZERS.join(', '), oneOf(OPTIMIZERS), 'adam')
    .option('--lr <rate>', 'initial learning rate', real(0, Infinity, true), d.lr)
    .option('--beta <b>', "momentum's β or Adam's β1", real(0, 1))
    .option('--beta2 <b>', "Adam's β2", real(0, 1))
    .option('--rho <r>', "RMSprop's ρ", real(0, 1))
    .option('--decay <schedule>', DECAYS.join(', '), oneOf(DECAYS), d.decay)
    .option('--decay-rate <r>', 'inverse-time rate (1), exponential base (0.95) or step factor (0.5)', real(0, Infinity, true))
    .option('--decay-every <epochs>', 'epochs between decays (fixed-interval scheduling)', integer(1), 1)
    .option('--batch-size <n>', 'mini-batch size (the training set size gives batch gradient descent)', integer(1), d.batchSize)
    .option('--epochs <n>', 'passes over the training set', integer(1), d.epochs)
    .option('--patience <n>', 'early stopping: epochs without a better dev loss (0 = off); best weights restored', integer(0), d.patience)
    .option('--no-augment', 'no random shifts/rotations of training images')
    .option('--bayes-error <fraction>', 'Bayes (or human-level) error for the bias/variance diagnosis', real(0, 1), 0)
    .option('--report <dir>', 'report folder (created if needed)', d.report)
    .action(async (raw: RawTrainOptions) => {
      setExit(
        await runTrain(
          {
            dataset: raw.dataset, examples: raw.examples, split: raw.split, seed: raw.seed, normalize: raw.normalize,
            network: { hidden: raw.layers, activation: raw.activation, init: raw.init, batchNorm: raw.batchNorm, dropout: raw.dropout, l2: raw.l2 },
            optimizer: { optimizer: raw.optimizer, learningRate: raw.lr, beta: raw.beta, beta2: raw.beta2, rho: raw.rho, decay: raw.decay, decayRate: raw.decayRate, decayEvery: raw.decayEvery },
            batchSize: raw.batchSize, epochs: raw.epochs, patience: raw.patience, augment: raw.augment, bayesError: raw.bayesError, report: raw.report,
          },
          io,
        ),
      );
    });
}
