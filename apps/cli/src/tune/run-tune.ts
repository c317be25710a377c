// `nnkit tune`: random or TPE search over the learning rate (log scale), Adam's β1 (1 − β on a log
// scale), hidden units and dropout, trials in parallel worker threads, journaled so that --resume
// continues an interrupted study; a results table and a scatter plot of dev accuracy against
// learning rate.
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { choice, logUniform, oneMinusLogUniform, search, type TrialRecord, uniform } from '@nnkit/tuning';
import { CliError } from '../errors';
import { int, pct, rate, secs, textTable } from '../format';
import type { Io } from '../io';
import { type TrialPoint, tuningScatterSpec } from '../plots/tuning-scatter';
import { writeChart } from '../plots/render';
import { prepareReportDir } from '../report/report-dir';
import { tuneObjective } from './objective';

/** Options of {@link runTune}. */
export interface TuneOptions {
  dataset: string;
  examples: number;
  trials: number;
  concurrency: number;
  epochs: number;
  batchSize: number;
  seed: number;
  /** 'random' (default) or 'tpe'. */
  sampler?: 'random' | 'tpe';
  /** TPE only: running trials count as the worst (Optuna's constant liar). */
  constantLiar?: boolean;
  resume: boolean;
  report: string;
}

/** The search space: the course's advice — log scale for α and for 1 − β. */
export const SEARCH_SPACE = {
  learningRate: logUniform(1e-4, 1e-1),
  beta: oneMinusLogUniform(0.8, 0.999),
  units: choice([32, 64, 128, 256]),
  dropout: uniform(0, 0.5),
};

/** The built objective module (next to the bundled bin in dist/), which worker threads load. */
function objectiveModule(): URL | null {
  const url = new URL('./tune-objective.js', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : null;
}

const pointOf = (t: TrialRecord): TrialPoint => ({
  id: t.id, learningRate: t.params.learningRate as number, beta: t.params.beta as number,
  units: t.params.units as number, dropout: t.params.dropout as number, devAccuracy: t.value,
});

/**
 * Runs the study and writes its report.
 * @param o - the options
 * @param io - where to print
 * @returns the finished trials, best first
 */
export async function runTune(o: TuneOptions, io: Io): Promise<TrialRecord[]> {
  const sampler = o.sampler ?? 'random';
  if (o.constantLiar && sampler !== 'tpe') throw new CliError(`--constant-liar needs --sampler tpe (the sampler is ${sampler})`);
  const searchName = sampler === 'tpe' ? 'TPE search' : 'random search';
  const dir = await prepareReportDir(o.report);
  const storage = join(dir, 'study.jsonl');
  if (!o.resume && existsSync(storage)) await rm(storage);
  const module = objectiveModule();
  // Worker threads need the built module; from the TypeScript sources (tests) trials run in this thread.
  const concurrency = module ? o.concurrency : 1;
  io.out(`tune: ${o.trials} trials of ${searchName}${o.constantLiar ? ' (constant liar)' : ''} on ${o.dataset} (${int(o.examples)} examples, 80/20 train/dev), ${o.epochs} epochs each, ${concurrency} at a time${o.resume ? ', resuming' : ''}`);
  io.out('space: learning rate 1e-4…1e-1 (log), β1 0.8…0.999 (log of 1 − β), units 32/64/128/256 (then half as many), dropout 0…0.5\n');
  const fixed = { dataset: o.dataset, examples: o.examples, epochs: o.epochs, batchSize: o.batchSize, seed: o.seed };
  let done = 0;
  let best = Number.NEGATIVE_INFINITY;
  const width = String(o.trials).length;
  const study = await search({ ...SEARCH_SPACE, ...fixed }, module ?? tuneObjective, {
    sampler, ...(o.constantLiar ? { constantLiar: true } : {}), trials: o.trials, seed: o.seed, direction: 'maximize', concurrency, storage, progress: false,
    onTrialEnd: (t) => {
      done++;
      if (t.state === 'complete' && t.value > best) best = t.value;
      const p = pointOf(t);
      const outcome = t.state === 'complete' ? `dev acc ${pct(t.value)}` : t.state === 'pruned' ? `pruned at ${pct(t.value)}` : `failed: ${t.error ?? ''}`;
      io.out(`trial ${String(t.id + 1).padStart(width)}/${o.trials}  lr ${rate(p.learningRate)}  β1 ${p.beta.toFixed(4)}  units ${String(p.units).padStart(3)}  dropout ${p.dropout.toFixed(2)}  → ${outcome}  (${secs(t.durationMs / 1000)})  best ${Number.isFinite(best) ? pct(best) : '—'}  [${done} this run]`);
    },
  });
  const finished = study.trials.filter((t) => t.state === 'complete' || t.state === 'pruned').sort((a, b) => b.value - a.value);
  io.out('');
  io.out(textTable(
    ['rank', 'trial', 'learning rate', 'β1', 'units', 'dropout', 'dev accuracy', 'state'],
    finished.map((t, i) => {
      const p = pointOf(t);
      return [String(i + 1), String(t.id + 1), rate(p.learningRate), p.beta.toFixed(4), String(p.units), p.dropout.toFixed(2), pct(t.value), t.state];
    }),
    ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  ));
  const points = finished.map(pointOf);
  await writeFile(join(dir, 'trials.json'), `${JSON.stringify(points, null, 2)}\n`);
  const charts = points.length > 0 ? await writeChart(tuningScatterSpec(points, `${searchName} on ${o.dataset}: dev accuracy against learning rate`), join(dir, 'dev-accuracy-vs-learning-rate')) : [];
  io.out(`\nreport: ${dir} (study.jsonl, trials.json${charts.length ? ', dev-accuracy-vs-learning-rate.svg/.png' : ''})`);
  return finished;
}
