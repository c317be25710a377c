// The report folder of `nnkit train`: learning curves (SVG, PNG), the confusion matrix, a decision
// boundary for 2-D data, the saved model, and summary.json holding every number the run printed.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sequential } from '@nnkit/layers';
import { mkdir } from 'node:fs/promises';
import { tensor } from '@nnkit/tensor-wasm';
import type { PreparedData } from '../data/prepare';
import { predictClasses } from '../model/predict';
import { confusionMatrixSpec } from '../plots/confusion-matrix';
import { decisionBoundarySpec, gridOver } from '../plots/decision-boundary';
import { learningCurveRows, learningCurvesSpec } from '../plots/learning-curves';
import { writeChart } from '../plots/render';
import { saveModel } from '../save-model';
import type { FinalEvaluation } from '../train/final-evaluation';
import type { EpochRecord } from '../train/train-loop';

/** Everything `nnkit train` printed, as data. */
export interface TrainSummary {
  command: string;
  dataset: { name: string; examples: number; features: number; classes: number };
  split: { train: number; dev: number; test: number; seed: number };
  normalization: { kind: string; mean: number[]; scale: number[] };
  network: { description: string; parameters: number };
  optimizer: string;
  gradientCheck: { relativeDifference: number; passed: boolean; checked: number; total: number; seconds: number };
  training: { epochs: EpochRecord[]; keptEpoch: number; stoppedEarly: boolean; diverged: string | null; seconds: number };
  evaluation: Omit<FinalEvaluation, 'diagnosis'> & { diagnosis: FinalEvaluation['diagnosis'] & { bayesError: number } } | null;
  seconds: number;
}

/** Inputs of {@link writeTrainReport}. */
export interface TrainReportInput {
  dir: string;
  summary: TrainSummary;
  model: Sequential;
  data: PreparedData;
  classNames: string[];
  /** Raw 2-D training points and labels for the decision boundary (2-D data only). */
  plane?: { raw: ArrayLike<number>; labels: ArrayLike<number> };
}

/**
 * Writes the report; the summary and curves first, so a failure later still leaves them.
 * @returns the paths written
 */
export async function writeTrainReport(input: TrainReportInput): Promise<string[]> {
  const { dir, summary, model, data } = input;
  const files: string[] = [];
  const write = async (name: string, text: string) => {
    await writeFile(join(dir, name), text);
    files.push(join(dir, name));
  };
  await write('summary.json', `${JSON.stringify(summary, null, 2)}\n`);
  await write('learning-curves.json', `${JSON.stringify(learningCurveRows(summary.training.epochs), null, 2)}\n`);
  const title = `${summary.dataset.name}: ${summary.network.description}`;
  if (summary.training.epochs.length > 0) files.push(...(await writeChart(learningCurvesSpec(summary.training.epochs, title), join(dir, 'learning-curves'))));
  if (summary.evaluation) {
    const { set, matrix } = summary.evaluation.confusion;
    files.push(...(await writeChart(confusionMatrixSpec(matrix, input.classNames, `confusion matrix (${set} set)`), join(dir, 'confusion-matrix'))));
  }
  if (input.plane) {
    const grid = gridOver(input.plane.raw);
    const raw = tensor(grid.points, [grid.points.length / 2, 2]);
    const x = data.normalizer.apply(raw);
    const predicted = predictClasses(model, x);
    raw.dispose();
    x.dispose();
    files.push(...(await writeChart(decisionBoundarySpec(grid, predicted, input.plane.raw, input.plane.labels, `decision boundary (training set): ${summary.dataset.name}`), join(dir, 'decision-boundary'))));
  }
  const modelDir = join(dir, 'model');
  await mkdir(modelDir, { recursive: true });
  files.push(...(await saveModel(model, modelDir, { inputNormalization: summary.normalization, classes: input.classNames })));
  return files;
}
