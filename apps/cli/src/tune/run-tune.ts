// `nnkit tune`: random or TPE search over the learning rate (log scale), Adam's β1 (1 − β on a log
// scale), hidden units and dropout, trials in parallel worker threads, journaled so that --resume
// continues an interrupted study; a results table and a scatter plot of dev accuracy against
// learning rate.
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { choice, journalFile, loadStudy, logUniform, oneMinusLogUniform, redisStorage, search, type Study, type StudyStorage, type TrialRecord, uniform } from '@nnkit/tuning';
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
  /** A study shared by many processes: `redis://host:6379/0` (with `study`) or a journal file path. */
  storage?: string;
  /** The study's name in Redis. */
  study?: string;
  /** Print the study's table and best trial instead of running trials. */
  status?: boolean;
}

/**
 * The shared storage that `--storage` and `--study` name, or undefined without `--storage`.
 * @param o - the options
 * @returns the storage
 */
export function sharedStorage(o: TuneOptions): StudyStorage | undefined {
  if (o.storage === undefined) {
    if (o.study !== undefined) throw new CliError(`--study '${o.study}' needs --storage redis://host:6379/0; expected both, or neither`);
    return undefined;
  }
  if (o.resume) throw new CliError('--resume with --storage: a shared study always continues where it stands; expected one of the two');
  if (/^rediss?:\/\//.test(o.storage)) {
    if (o.study === undefined) throw new CliError(`--storage '${o.storage}' needs --study NAME, the study every process joins`);
    return redisStorage({ url: o.storage, study: o.study });
  }
  if (o.study !== undefined) throw new CliError(`--study '${o.study}' with the journal file '${o.storage}': a journal holds one study; expected --study only with a redis:// storage`);
  return journalFile(o.storage);
}

function printTable(finished: TrialRecord[], io: Io): void {
  io.out(textTable(
    ['rank', 'trial', 'learning rate', 'β1', 'units', 'dropout', 'dev accuracy', 'state'],
    finished.map((t, i) => {
      const p = pointOf(t);
      return [String(i + 1), String(t.id + 1), rate(p.learningRate), p.beta.toFixed(4), String(p.units), p.dropout.toFixed(2), pct(t.value), t.state];
    }),
    ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  ));
}

/**
 * `--status`: prints a study's trials and its best trial, running nothing.
 * @param study - the study as stored
 * @param where - names the storage
 * @param io - where to print
 * @returns the finished trials, best first
 */
export function printStatus(study: Study, where: string, io: Io): TrialRecord[] {
  const count = (state: string) => study.trials.filter((t) => t.state === state).length;
  io.out(`study ${where}: ${study.trials.length} trials — ${count('complete')} complete, ${count('running')} running, ${count('pruned')} pruned, ${count('failed')} failed\n`);
  const finished = study.trials.filter((t) => t.state === 'complete' || t.state === 'pruned').sort((a, b) => b.value - a.value);
  printTable(finished, io);
  const best = study.bestOrUndefined();
  if (best) {
    const p = pointOf(best);
    io.out(`\nbest: trial ${best.id + 1}, dev accuracy ${pct(best.value)} — learning rate ${rate(p.learningRate)}, β1 ${p.beta.toFixed(4)}, units ${p.units}, dropout ${p.dropout.toFixed(2)}`);
  } else io.out('\nbest: no trial has completed yet');
  return finished;
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
  const shared = sharedStorage(o);
  const where = o.storage === undefined ? '' : o.study === undefined ? `'${o.storage}'` : `'${o.study}' at ${o.storage}`;
  if (o.status) {
    if (!shared) throw new CliError('--status needs --storage (and --study for Redis): the study to show');
    return printStatus(await loadStudy(shared), where, io);
  }
  const dir = await prepareReportDir(o.report);
  const journal = join(dir, 'study.jsonl');
  if (!shared && !o.resume && existsSync(journal)) await rm(journal);
  const storage = shared ?? journal;
  const module = objectiveModule();
  // Worker threads need the built module; from the TypeScript sources (tests) trials run in this thread.
  const concurrency = module ? o.concurrency : 1;
  io.out(`tune: ${o.trials} trials of ${searchName}${o.constantLiar ? ' (constant liar)' : ''} on ${o.dataset} (${int(o.examples)} examples, 80/20 train/dev), ${o.epochs} epochs each, ${concurrency} at a time${o.resume ? ', resuming' : ''}${shared ? `, sharing the study ${where} with other processes` : ''}`);
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
  printTable(finished, io);
  const points = finished.map(pointOf);
  await writeFile(join(dir, 'trials.json'), `${JSON.stringify(points, null, 2)}\n`);
  const charts = points.length > 0 ? await writeChart(tuningScatterSpec(points, `${searchName} on ${o.dataset}: dev accuracy against learning rate`), join(dir, 'dev-accuracy-vs-learning-rate')) : [];
  io.out(`\nreport: ${dir} (${shared ? '' : 'study.jsonl, '}trials.json${charts.length ? ', dev-accuracy-vs-learning-rate.svg/.png' : ''})`);
  return finished;
}
