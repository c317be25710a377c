// Bias/variance diagnosis from the errors on each set, and the basic recipe's advice.
import { checkOptionKeys, describeValue, NnkitError } from '@nnkit/tensor-wasm';

/**
 * A gap of 2 percentage points or more counts as "high". The course's examples place the line
 * between 1 point (train 15% / dev 16%: variance is not the problem) and 2 points (human 7.5%,
 * train 8%, dev 10%: variance is the thing to work on).
 */
export const DEFAULT_GAP_THRESHOLD = 0.02;

/** Differences of errors are compared with this slack so that 0.10 − 0.08 counts as 0.02. */
const FLOAT_SLACK = 1e-12;

/** The errors of one model on each set, as fractions in [0, 1] (0.11 for 11%). */
export interface DiagnoseInput {
  trainError: number;
  devError: number;
  /** Bayes (optimal) error, or human-level error as its proxy; default 0. */
  bayesError?: number;
  /** Error on a held-out part of the training distribution (the train-dev set). */
  trainDevError?: number;
  /** Error on the test set. */
  testError?: number;
  /** Where a gap becomes "high": one number for all, or per gap; default {@link DEFAULT_GAP_THRESHOLD}. */
  threshold?: number | Partial<DiagnoseThresholds>;
}

/** The gap sizes above which each problem is reported. */
export interface DiagnoseThresholds {
  avoidableBias: number;
  variance: number;
  dataMismatch: number;
  devOverfitting: number;
}

/** The course's four verdicts. */
export type Verdict = 'high bias' | 'high variance' | 'high bias and high variance' | 'good';

/** What {@link diagnose} finds. */
export interface Diagnosis {
  /** train − Bayes. */
  avoidableBias: number;
  /** train-dev − train when a train-dev error is given, otherwise dev − train. */
  variance: number;
  /** dev − train-dev (only with a train-dev error). */
  dataMismatch?: number;
  /** test − dev (only with a test error): how much the model was tuned to the dev set. */
  devOverfitting?: number;
  verdict: Verdict;
  /** The largest gap that is high, or null when none is: what to work on first. */
  focus: 'avoidable bias' | 'variance' | 'data mismatch' | 'dev overfitting' | null;
  /** The thresholds used. */
  thresholds: DiagnoseThresholds;
  /** The basic recipe's steps for the problems found. */
  advice: string[];
  /** Observations about the inputs themselves (e.g. a training error below Bayes error). */
  notes: string[];
}

/** The basic recipe, as taught: what to try for each problem. */
export const ADVICE = {
  avoidableBias: [
    'Train a bigger network (more hidden units or more layers).',
    'Train longer.',
    'Use a better optimization algorithm (momentum, RMSprop, Adam).',
    'Search for a better architecture or hyperparameters.',
  ],
  variance: [
    'Get more training data.',
    'Add regularization (L2, dropout).',
    'Use data augmentation.',
    'Search for a better architecture or hyperparameters.',
  ],
  dataMismatch: [
    'Carry out manual error analysis to understand how training data differs from dev/test data.',
    'Make training data more similar to dev/test data, or collect more data like dev/test (e.g. artificial data synthesis).',
  ],
  devOverfitting: ['Get a bigger dev set: the model and its hyperparameters have been tuned to this one.'],
  good: ['Bias and variance are both low; if the model still falls short, change the metric or the dev/test sets.'],
} as const;

function checkError(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    const hint = typeof value === 'number' && value > 1 && value <= 100 ? ` (give errors as fractions: ${value / 100} for ${value}%)` : '';
    throw new NnkitError('INVALID_ARGUMENT', `diagnose(): ${name} ${describeValue(value)} must be a fraction in [0, 1]${hint}`);
  }
  return value;
}

function thresholdsOf(t: DiagnoseInput['threshold']): DiagnoseThresholds {
  const base = typeof t === 'number' ? t : DEFAULT_GAP_THRESHOLD;
  const each = typeof t === 'object' && t !== null ? t : {};
  const out: DiagnoseThresholds = {
    avoidableBias: each.avoidableBias ?? base,
    variance: each.variance ?? base,
    dataMismatch: each.dataMismatch ?? base,
    devOverfitting: each.devOverfitting ?? base,
  };
  for (const [name, v] of Object.entries(out)) {
    if (typeof v !== 'number' || !(v > 0 && v <= 1)) {
      throw new NnkitError('INVALID_ARGUMENT', `diagnose(): threshold for ${name} ${describeValue(v)} must be a number in (0, 1]`);
    }
  }
  return out;
}

/**
 * Compares training, dev (and optionally train-dev and test) errors with Bayes error to tell bias
 * from variance, as in the course's basic recipe. Human-level error may stand in for Bayes error.
 *
 * @param input - errors as fractions; `bayesError` defaults to 0
 * @returns the gaps, a verdict, what to focus on, the thresholds used and advice
 * @example
 * diagnose({ trainError: 0.01, devError: 0.11 }).verdict;                     // 'high variance'
 * diagnose({ trainError: 0.15, devError: 0.16 }).verdict;                     // 'high bias'
 * diagnose({ trainError: 0.15, devError: 0.16, bayesError: 0.15 }).verdict;   // 'good'
 */
export function diagnose(input: DiagnoseInput): Diagnosis {
  if (input === null || typeof input !== 'object') {
    throw new NnkitError('INVALID_ARGUMENT', `diagnose(): expected { trainError, devError, … }, got ${describeValue(input)}`);
  }
  checkOptionKeys(input, ['trainError', 'devError', 'bayesError', 'trainDevError', 'testError', 'threshold'], 'diagnose()');
  const train = checkError(input.trainError, 'trainError');
  const dev = checkError(input.devError, 'devError');
  const bayes = checkError(input.bayesError ?? 0, 'bayesError');
  const trainDev = input.trainDevError === undefined ? undefined : checkError(input.trainDevError, 'trainDevError');
  const test = input.testError === undefined ? undefined : checkError(input.testError, 'testError');
  const thresholds = thresholdsOf(input.threshold);

  const avoidableBias = train - bayes;
  const variance = (trainDev ?? dev) - train;
  const dataMismatch = trainDev === undefined ? undefined : dev - trainDev;
  const devOverfitting = test === undefined ? undefined : test - dev;
  const high = (gap: number | undefined, limit: number) => gap !== undefined && gap >= limit - FLOAT_SLACK;

  const highBias = high(avoidableBias, thresholds.avoidableBias);
  const highVariance = high(variance, thresholds.variance);
  const verdict: Verdict =
    highBias && highVariance ? 'high bias and high variance' : highBias ? 'high bias' : highVariance ? 'high variance' : 'good';

  const found: Array<[Diagnosis['focus'], number, readonly string[]]> = [];
  if (highBias) found.push(['avoidable bias', avoidableBias, ADVICE.avoidableBias]);
  if (highVariance) found.push(['variance', variance, ADVICE.variance]);
  if (high(dataMismatch, thresholds.dataMismatch)) found.push(['data mismatch', dataMismatch!, ADVICE.dataMismatch]);
  if (high(devOverfitting, thresholds.devOverfitting)) found.push(['dev overfitting', devOverfitting!, ADVICE.devOverfitting]);
  found.sort((a, b) => b[1] - a[1]);
  const advice = found.length === 0 ? [...ADVICE.good] : [...new Set(found.flatMap((f) => f[2]))];

  const notes: string[] = [];
  if (train < bayes) {
    notes.push(`trainError ${train} is below bayesError ${bayes}: the model fits noise in the training set, or the Bayes/human-level estimate is too high.`);
  }
  if (variance < 0) notes.push(`the error on ${trainDev === undefined ? 'dev' : 'train-dev'} is below the training error; check that the sets are not mixed up.`);

  const result: Diagnosis = { avoidableBias, variance, verdict, focus: found[0]?.[0] ?? null, thresholds, advice, notes };
  if (dataMismatch !== undefined) result.dataMismatch = dataMismatch;
  if (devOverfitting !== undefined) result.devOverfitting = devOverfitting;
  return result;
}
