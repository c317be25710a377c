// The course's 2-D data: circles and moons exactly as its exercises generate them (see
// scripts/course-data.py), and the football data of the regularization exercise from a CSV file.
import { type Tensor, tensor } from '@nnkit/tensor-wasm';
import { loadCsvDataset } from '../data/load-dataset';
import { CliError } from '../errors';
import raw from './course-data.json';

/** Points and 0/1 labels. */
export interface PlaneData {
  x: Tensor;
  y: Tensor;
  labels: Int32Array;
}

/** A training set and, when the exercise has one, a test set. */
export interface CourseData {
  description: string;
  train: PlaneData;
  test: PlaneData | null;
}

function toPlane(d: { x: number[][]; y: number[] }): PlaneData {
  return { x: tensor(d.x.flat(), [d.y.length, 2]), y: tensor(d.y, [d.y.length, 1]), labels: Int32Array.from(d.y) };
}

/** The initialization exercise's circles: 300 training and 100 test points. */
export function courseCircles(): CourseData {
  return { description: 'circles (300 train / 100 test, the exercise\'s data)', train: toPlane(raw.circlesTrain), test: toPlane(raw.circlesTest) };
}

/** The optimization exercise's moons: 300 training points (the exercise reports training accuracy). */
export function courseMoons(): CourseData {
  return { description: 'moons (300 train, the exercise\'s data)', train: toPlane(raw.moons), test: null };
}

/** Rows of the football data that are the training set; the rest are the test set. */
export const FOOTBALL_TRAIN_ROWS = 211;

/**
 * The regularization exercise's football data from a CSV (pos_x, pos_y, team): the first 211 rows
 * train, the rest test.
 * @param path - the CSV file
 */
export async function courseFootball(path: string): Promise<CourseData> {
  const d = await loadCsvDataset(path);
  const m = d.x.shape[0];
  if (d.x.shape[1] !== 2 || d.classes !== 2 || m <= FOOTBALL_TRAIN_ROWS) {
    throw new CliError(`${path}: expected the football data — 2 features, a 0/1 class, more than ${FOOTBALL_TRAIN_ROWS} rows; got ${d.x.shape[1]} features, ${d.classes} classes, ${m} rows`);
  }
  const part = (a: number, b: number): PlaneData => ({ x: d.x.rows(a, b), y: d.y.rows(a, b), labels: d.labels.subarray(a, b) });
  return { description: `football (${FOOTBALL_TRAIN_ROWS} train / ${m - FOOTBALL_TRAIN_ROWS} test, ${path})`, train: part(0, FOOTBALL_TRAIN_ROWS), test: part(FOOTBALL_TRAIN_ROWS, m) };
}
