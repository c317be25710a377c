// `nnkit tune`: a journaled random search that resumes where it stopped.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { captureIo } from '../io';
import { runTune, type TuneOptions } from './run-tune';

test('random search on moons writes the table and the plot, and --resume runs only the missing trials', async () => {
  const report = mkdtempSync(join(tmpdir(), 'nnkit-tune-'));
  const o: TuneOptions = { dataset: 'moons', examples: 400, trials: 3, concurrency: 2, epochs: 3, batchSize: 32, seed: 1, resume: false, report };
  const first = captureIo();
  const done = await runTune(o, first);
  expect(done).toHaveLength(3);
  expect(first.stdout.filter((l) => l.startsWith('trial '))).toHaveLength(3);
  // Best first, and the sampled learning rates lie in the log-uniform range.
  expect(done.map((t) => t.value)).toEqual([...done.map((t) => t.value)].sort((a, b) => b - a));
  for (const t of done) expect(t.params.learningRate as number).toBeGreaterThanOrEqual(1e-4);
  const plotted = JSON.parse(readFileSync(join(report, 'trials.json'), 'utf8')) as { devAccuracy: number }[];
  expect(plotted.map((p) => p.devAccuracy)).toEqual(done.map((t) => t.value));
  expect(existsSync(join(report, 'dev-accuracy-vs-learning-rate.png'))).toBe(true);

  const again = captureIo();
  const resumed = await runTune({ ...o, trials: 4, resume: true }, again);
  expect(resumed).toHaveLength(4);
  // Only trial 4 ran; trials 1–3 came back from the journal with the same values.
  expect(again.stdout.filter((l) => l.startsWith('trial '))).toEqual([expect.stringMatching(/^trial 4\/4 /)]);
  for (const t of done) expect(resumed.find((r) => r.id === t.id)!.value).toBe(t.value);
}, 60_000);

test('--sampler tpe runs TPE (journaled as a tpe study) and a random-search resume of it is refused', async () => {
  const report = mkdtempSync(join(tmpdir(), 'nnkit-tune-tpe-'));
  const o: TuneOptions = { dataset: 'moons', examples: 200, trials: 11, concurrency: 1, epochs: 1, batchSize: 32, seed: 2, sampler: 'tpe', resume: false, report };
  const io = captureIo();
  const done = await runTune(o, io);
  expect(done).toHaveLength(11);
  expect(io.stdout[0]).toMatch(/^tune: 11 trials of TPE search on moons/);
  const header = JSON.parse(readFileSync(join(report, 'study.jsonl'), 'utf8').split('\n')[0]) as { type: string; sampler: string };
  expect(header).toMatchObject({ type: 'study', sampler: 'tpe' });
  await expect(runTune({ ...o, sampler: 'random', trials: 12, resume: true }, captureIo())).rejects.toThrow(
    "search(): the storage holds a tpe study; resume it with search({ sampler: 'tpe' }) or use a new journal",
  );
}, 120_000);

test('--constant-liar without --sampler tpe is a usage error naming both flags', async () => {
  const report = mkdtempSync(join(tmpdir(), 'nnkit-tune-liar-'));
  const o: TuneOptions = { dataset: 'moons', examples: 200, trials: 2, concurrency: 2, epochs: 1, batchSize: 32, seed: 2, constantLiar: true, resume: false, report };
  await expect(runTune(o, captureIo())).rejects.toMatchObject({ name: 'CliError', message: '--constant-liar needs --sampler tpe (the sampler is random)' });
});
