// `nnkit course <experiment>`: each variant trained with the course's network and hyperparameters
// on the course's data, our accuracies beside the published ones, and a decision boundary per variant.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sequential } from '@nnkit/layers';
import { init } from '@nnkit/tensor-wasm';
import { CliError } from '../errors';
import { secs, textTable } from '../format';
import type { Io } from '../io';
import { predictClasses } from '../model/predict';
import { decisionBoundarySpec, gridOver } from '../plots/decision-boundary';
import { writeChart } from '../plots/render';
import { prepareReportDir } from '../report/report-dir';
import { courseCircles, type CourseData, courseFootball, courseMoons } from './course-data';
import { COURSE, type ExperimentName, type Variant } from './experiments';
import { tensor } from '@nnkit/tensor-wasm';

/** Options of {@link runCourse}. */
export interface CourseOptions {
  experiment: ExperimentName;
  /** The football CSV, for the regularization experiment. */
  data?: string;
  /** The first model seed. */
  seed: number;
  /** Runs per variant (seeds seed, seed+1, …); the table shows the median and, with several, the range. */
  seeds: number;
  report: string;
  /** Skip the decision-boundary charts. */
  plots: boolean;
  /** Run only the variants with these names (default all). */
  variants?: string[];
}

/** The result of one variant. */
export interface VariantResult {
  name: string;
  published: { train: number; test?: number };
  /** Per seed. */
  train: number[];
  test: number[];
  /** Medians over seeds. */
  trainMedian: number;
  testMedian: number | null;
  seconds: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

async function loadData(o: CourseOptions): Promise<CourseData> {
  const e = COURSE[o.experiment];
  if (e.data === 'circles') return courseCircles();
  if (e.data === 'moons') return courseMoons();
  if (!o.data) throw new CliError('the regularization experiment needs the football data: pass --data <path to football.csv> (columns pos_x, pos_y, team)');
  return courseFootball(o.data);
}

async function runVariant(v: Variant, data: CourseData, epochs: number, batchSize: number | null, seed: number) {
  const model = sequential(v.layers(), { inputShape: [2], seed });
  model.compile({ loss: 'sigmoidCrossEntropy', optimizer: v.optimizer(), metrics: ['accuracy'] });
  const m = data.train.x.shape[0];
  await model.fit(data.train.x, data.train.y, { epochs, batchSize: batchSize ?? m, seed });
  const train = model.evaluate(data.train.x, data.train.y).accuracy;
  const test = data.test ? model.evaluate(data.test.x, data.test.y).accuracy : Number.NaN;
  return { model, train, test };
}

const p1 = (f: number | undefined | null) => (f === undefined || f === null || Number.isNaN(f) ? '—' : `${(f * 100).toFixed(1)}%`);

/**
 * Runs one experiment of the course.
 * @param o - the experiment and its options
 * @param io - where to print
 * @returns the results of every variant
 */
export async function runCourse(o: CourseOptions, io: Io): Promise<VariantResult[]> {
  const e = COURSE[o.experiment];
  const dir = await prepareReportDir(o.report);
  await init();
  const data = await loadData(o);
  io.out(`${o.experiment}: ${data.description}`);
  io.out(`network: ${e.network}`);
  io.out(`seeds: ${o.seeds === 1 ? o.seed : `${o.seed}…${o.seed + o.seeds - 1} (median, range)`}\n`);
  const results: VariantResult[] = [];
  for (const v of e.variants.filter((x) => !o.variants || o.variants.includes(x.name))) {
    const t0 = performance.now();
    const train: number[] = [];
    const test: number[] = [];
    for (let s = 0; s < o.seeds; s++) {
      const r = await runVariant(v, data, e.epochs, e.batchSize, o.seed + s);
      train.push(r.train);
      if (data.test) test.push(r.test);
      if (s === 0 && o.plots) {
        const raw = data.train.x.toArray();
        const grid = gridOver(raw);
        const g = tensor(grid.points, [grid.points.length / 2, 2]);
        const spec = decisionBoundarySpec(grid, predictClasses(r.model, g), raw, data.train.labels, `${o.experiment}: ${v.name} (seed ${o.seed}, train ${p1(r.train)}${data.test ? `, test ${p1(r.test)}` : ''})`);
        g.dispose();
        await writeChart(spec, join(dir, `${o.experiment}-${slug(v.name)}`));
      }
      // The optimizer was given to compile, so it is ours, not the model's: free its state too.
      r.model.optimizer?.dispose?.();
      r.model.dispose();
    }
    const result: VariantResult = {
      name: v.name, published: v.published, train, test,
      trainMedian: median(train), testMedian: test.length ? median(test) : null,
      seconds: (performance.now() - t0) / 1000,
    };
    results.push(result);
    if (io.progressStream) io.err(`  ${v.name}: done in ${secs(result.seconds)}`);
  }
  const range = (xs: number[]) => (xs.length > 1 ? ` [${p1(Math.min(...xs))}–${p1(Math.max(...xs))}]` : '');
  const header = ['variant', 'train (ours)', 'train (course)', ...(data.test ? ['test (ours)', 'test (course)'] : []), 'time'];
  const rows = results.map((r) => [
    r.name, `${p1(r.trainMedian)}${range(r.train)}`, p1(r.published.train),
    ...(data.test ? [`${p1(r.testMedian)}${range(r.test)}`, p1(r.published.test)] : []),
    secs(r.seconds),
  ]);
  io.out(textTable(header, rows));
  await writeFile(join(dir, `${o.experiment}.json`), `${JSON.stringify({ experiment: o.experiment, data: data.description, network: e.network, seeds: o.seeds, seed: o.seed, results }, null, 2)}\n`);
  io.out(`\nreport: ${dir} (${o.experiment}.json${o.plots ? ', decision boundaries as SVG and PNG' : ''})`);
  return results;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
