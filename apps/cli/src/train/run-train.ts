// `nnkit train` from parsed options to report: data → split → normalize → network → gradient check
// → mini-batch training with live progress → evaluation → bias/variance diagnosis → report.
import { gradCheck, type Initializer } from '@nnkit/layers';
import { formatConfusionMatrix } from '@nnkit/metrics';
import { augment, randomRotation, randomShift } from '@nnkit/regularizers';
import { init } from '@nnkit/tensor-wasm';
import { loadDataset } from '../data/load-dataset';
import type { NormalizationKind } from '../data/normalize';
import { prepareData } from '../data/prepare';
import { CliError, EXIT_FAILURE } from '../errors';
import { int, num4, pct, secs } from '../format';
import { type Io, paint } from '../io';
import { buildModel, describeNetwork, lossFor, type NetworkOptions } from '../model/build-model';
import { buildOptimizer, describeOptimizer, type OptimizerOptions } from '../model/optimizer';
import { prepareReportDir } from '../report/report-dir';
import { type TrainSummary, writeTrainReport } from '../report/train-report';
import { finalEvaluation } from './final-evaluation';
import { EpochProgress } from './progress';
import { trainLoop } from './train-loop';

/** Entries checked by the start-of-training gradient check: a seeded sample, enough to catch a wrong layer. */
export const GRAD_CHECK_ENTRIES = 600;
/** Examples in the gradient-check batch. */
export const GRAD_CHECK_BATCH = 8;

/** Everything `nnkit train` is told. */
export interface TrainOptions {
  dataset: string;
  examples?: number;
  split: { train: number; dev: number; test: number };
  seed: number;
  normalize?: NormalizationKind;
  network: NetworkOptions;
  optimizer: Omit<OptimizerOptions, 'epochs'>;
  batchSize: number;
  epochs: number;
  patience: number;
  /** Random shifts and rotations of training images (image data only). */
  augment: boolean;
  bayesError: number;
  report: string;
}

/**
 * Runs a training and writes its report.
 * @param o - the options
 * @param io - where to print
 * @returns the exit code: 0, or 1 when training diverged
 */
export async function runTrain(o: TrainOptions, io: Io): Promise<number> {
  const started = performance.now();
  const reportDir = await prepareReportDir(o.report);
  await init();
  const head = (label: string, text: string) => io.out(`${paint(io, 'bold', label.padEnd(13))}${text}`);

  const data = await loadDataset(o.dataset, o.seed);
  const features = data.x.shape[1];
  if (o.examples !== undefined && o.examples < 10) throw new CliError(`--examples ${o.examples} is too few; expected at least 10`);
  head('data', `${data.name}: ${int(data.x.shape[0])} examples, ${features} features, ${data.classes} classes`);
  const normalization = o.normalize ?? (data.image ? 'global' : 'feature');
  const prepared = prepareData(data, { ratios: o.split, seed: o.seed, normalization, examples: o.examples });
  const sizes = { train: prepared.train.x.shape[0], dev: prepared.dev.x.shape[0], test: prepared.test?.x.shape[0] ?? 0 };
  head('split', `train ${int(sizes.train)} / dev ${int(sizes.dev)} / test ${int(sizes.test)} (stratified, seed ${o.seed})`);
  const n = prepared.normalizer;
  head('normalize', n.kind === 'global'
    ? `one mean ${num4(n.mean[0])} and std ${num4(n.scale[0])} over all inputs, fitted on train`
    : n.kind === 'feature' ? `per-feature mean and std (${features} features), fitted on train` : 'none');

  const outputs = data.classes === 2 ? 1 : data.classes;
  const model = buildModel(features, outputs, o.network, o.seed);
  const optOptions: OptimizerOptions = { ...o.optimizer, epochs: o.epochs };
  const optimizer = buildOptimizer(optOptions);
  model.compile({ loss: lossFor(outputs), optimizer, metrics: ['accuracy'] });
  const description = describeNetwork(features, outputs, o.network);
  head('network', `${description}; ${int(model.countParams())} parameters`);
  head('optimizer', `${describeOptimizer(optOptions)}, batch ${o.batchSize}, ${o.epochs} epochs${o.patience > 0 ? `, early stopping after ${o.patience} epochs without a better dev loss` : ''}`);

  const t0 = performance.now();
  const batch = Math.min(GRAD_CHECK_BATCH, sizes.train);
  const check = gradCheck(model, prepared.train.x.rows(0, batch), prepared.train.y.rows(0, batch), { maxEntries: GRAD_CHECK_ENTRIES, trainingExamples: sizes.train });
  const checkSeconds = (performance.now() - t0) / 1000;
  const verdict = check.relativeDifference < 1e-7 ? 'correct' : check.relativeDifference < 1e-5 ? 'probably correct' : check.relativeDifference < 1e-3 ? 'suspicious' : 'wrong';
  head('grad check', `relative difference ${check.relativeDifference.toExponential(2)} → ${paint(io, check.passed ? 'green' : 'red', verdict)} (${int(check.checked)} of ${int(check.total)} parameters, ${batch} examples, float64${check.dropoutDisabled ? ', dropout off' : ''}, ${secs(checkSeconds)})`);

  const aug = o.augment && data.image ? augment([randomShift({ maxPixels: 2, ...data.image }), randomRotation({ maxDegrees: 10, ...data.image })]) : undefined;
  if (aug) head('augment', 'random shifts (±2 px) and rotations (±10°) of training images');
  io.out();
  const progress = new EpochProgress(io, o.epochs);
  const result = await trainLoop(model, prepared, {
    epochs: o.epochs, batchSize: o.batchSize, seed: o.seed, patience: o.patience, normalizer: n, augment: aug, evaluateTrain: true,
    onProgress: (p) => progress.update(p),
    onEpochEnd: (r) => progress.end(r),
  });
  progress.stop();
  io.out();
  if (result.stoppedEarly) head('early stop', `no better dev loss for ${o.patience} epochs; weights of epoch ${result.keptEpoch} restored`);
  else if (result.keptEpoch !== result.epochs.length && !result.diverged) head('best epoch', `weights of epoch ${result.keptEpoch} restored (lowest dev loss)`);

  const summary: TrainSummary = {
    command: 'train',
    dataset: { name: data.name, examples: prepared.examples, features, classes: data.classes },
    split: { ...sizes, seed: o.seed },
    normalization: { kind: n.kind, mean: n.mean, scale: n.scale },
    network: { description, parameters: model.countParams() },
    optimizer: describeOptimizer(optOptions),
    gradientCheck: { relativeDifference: check.relativeDifference, passed: check.passed, checked: check.checked, total: check.total, seconds: checkSeconds },
    training: { epochs: result.epochs, keptEpoch: result.keptEpoch, stoppedEarly: result.stoppedEarly, diverged: result.diverged, seconds: result.seconds },
    evaluation: null,
    seconds: 0,
  };
  const classNames = Array.from({ length: data.classes }, (_, i) => String(i));
  if (!result.diverged) {
    const ev = finalEvaluation(model, prepared, o.bayesError, data.classes);
    summary.evaluation = { ...ev, diagnosis: { ...ev.diagnosis, bayesError: o.bayesError } };
    const row = (name: string, r: { loss: number; accuracy: number; examples: number }) =>
      head(name, `loss ${num4(r.loss)}  accuracy ${pct(r.accuracy)}  error ${pct(1 - r.accuracy)}  (${int(r.examples)} examples)`);
    row('train', ev.train);
    row('dev', ev.dev);
    if (ev.test) row('test', ev.test);
    const d = ev.diagnosis;
    io.out();
    head('diagnosis', `${paint(io, d.verdict === 'good' ? 'green' : 'yellow', d.verdict)}: Bayes error ${pct(o.bayesError)}, avoidable bias ${pct(d.avoidableBias)}, variance ${pct(d.variance)}`);
    for (const a of d.advice) io.out(`${' '.repeat(13)}• ${a}`);
    if (data.classes <= 12) {
      io.out();
      io.out(`confusion matrix (${ev.confusion.set} set, rows = true class):`);
      io.out(formatConfusionMatrix(ev.confusion.matrix, { labels: classNames }));
    }
  }
  summary.seconds = (performance.now() - started) / 1000;
  const files = await writeTrainReport({
    dir: reportDir, summary, model, data: prepared, classNames,
    ...(features === 2 && { plane: { raw: prepared.train.raw.toArray(), labels: prepared.train.labels } }),
  });
  io.out();
  head('report', `${reportDir} (${files.length} files: summary.json, learning curves, confusion matrix, model)`);
  head('time', `${secs(summary.seconds)} in all, ${secs(result.seconds)} training`);
  if (result.diverged) {
    io.err(`error: ${result.diverged}`);
    io.err(`The report holds the ${result.epochs.length} finished epochs.`);
    return EXIT_FAILURE;
  }
  return 0;
}

/** Parses `--init`: a name, or `random:<scale>` for N(0, scale²). */
export function parseInit(value: string): Initializer {
  if (value.startsWith('random:')) return { scale: Number(value.slice(7)) };
  return value as Initializer;
}
