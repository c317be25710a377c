// `nnkit train` end to end on a small MNIST subset: the report holds the numbers that were printed.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { int, num4, pct } from '../format';
import { captureIo } from '../io';
import { main } from '../main';
import type { TrainSummary } from '../report/train-report';
import { loadModel } from '@nnkit/layers';
import { readPreprocessing } from '../save-model';
import { epochLine } from './progress';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const tmp = mkdtempSync(join(tmpdir(), 'nnkit-train-'));

describe('nnkit train on 2,000 MNIST digits for 3 epochs', async () => {
  const report = join(tmp, 'mnist');
  const io = captureIo();
  const code = await main(['train', '--examples', '2000', '--epochs', '3', '--report', report], io);
  const out = io.stdout.join('\n');
  const summary = JSON.parse(readFileSync(join(report, 'summary.json'), 'utf8')) as TrainSummary;

  test('exits 0 and writes every report file', () => {
    expect(code, io.stderr.join('\n')).toBe(0);
    for (const f of ['summary.json', 'learning-curves.json', 'learning-curves.svg', 'learning-curves.png', 'confusion-matrix.svg', 'confusion-matrix.png', 'model/model.json']) {
      expect(existsSync(join(report, f)), f).toBe(true);
    }
    for (const f of JSON.parse(readFileSync(join(report, 'model', 'model.json'), 'utf8')).weightsManifest[0].paths) {
      expect(f).toMatch(/^weights-[0-9a-f]{12}\.bin$/);
      expect(existsSync(join(report, 'model', f)), f).toBe(true);
    }
    for (const f of ['learning-curves.png', 'confusion-matrix.png']) expect([...readFileSync(join(report, f)).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(readFileSync(join(report, 'learning-curves.svg'), 'utf8')).toMatch(/^<svg[\s\S]*accuracy[\s\S]*<\/svg>$/);
  });

  test('the split, gradient check and every epoch line match the summary', () => {
    expect(summary.split).toEqual({ train: 1600, dev: 200, test: 200, seed: 1 });
    expect(out).toContain(`train ${int(summary.split.train)} / dev ${int(summary.split.dev)} / test ${int(summary.split.test)}`);
    expect(out).toContain(`relative difference ${summary.gradientCheck.relativeDifference.toExponential(2)}`);
    expect(summary.gradientCheck.relativeDifference).toBeLessThan(1e-6);
    expect(summary.training.epochs).toHaveLength(3);
    for (const e of summary.training.epochs) expect(out).toContain(epochLine(e, 3));
  });

  test('the final numbers printed are the ones in the summary', () => {
    const ev = summary.evaluation!;
    for (const [name, r] of [['train', ev.train], ['dev', ev.dev], ['test', ev.test!]] as const) {
      expect(out).toMatch(new RegExp(`^${name} +loss ${num4(r.loss)}  accuracy ${pct(r.accuracy).replace('.', '\\.')}`, 'm'));
    }
    const d = ev.diagnosis;
    expect(out).toContain(`${d.verdict}: Bayes error ${pct(0)}, avoidable bias ${pct(d.avoidableBias)}, variance ${pct(d.variance)}`);
    expect(d.avoidableBias).toBeCloseTo(1 - ev.train.accuracy, 12);
    // The confusion matrix counts the test set, and its diagonal is the test accuracy.
    const m = ev.confusion.matrix;
    const total = m.flat().reduce((s, c) => s + c, 0);
    const diagonal = m.reduce((s, row, i) => s + row[i], 0);
    expect(total).toBe(200);
    expect(diagonal / total).toBeCloseTo(ev.test!.accuracy, 12);
    // Three epochs on 1,600 digits already learn: far above the 10% of guessing.
    expect(ev.test!.accuracy).toBeGreaterThan(0.8);
  });

  test('the saved model (TensorFlow.js format) loads back with every weight of the network', async () => {
    const dir = join(report, 'model');
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    const bn = (i: number) => ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((w) => `batch_normalization_${i}/${w}`);
    const names = json.weightsManifest.flatMap((g: { weights: { name: string }[] }) => g.weights.map((w) => w.name));
    // Batch norm makes the hidden layers' biases redundant: they have none (the TensorFlow.js weight order).
    expect(names).toEqual(['dense_1/kernel', ...bn(1), 'dense_2/kernel', ...bn(2), 'dense_3/kernel', 'dense_3/bias']);
    const model = await loadModel(dir);
    const weights = model.getWeights().map((w) => w.toArray());
    const count = weights.reduce((s, w) => s + w.length, 0);
    // Trainable parameters, plus the moving mean and variance of each batch-norm unit.
    expect(count).toBe(summary.network.parameters + 2 * (256 + 128));
    expect(weights[0]).toHaveLength(784 * 256);
    expect(weights.every((w) => w.every(Number.isFinite))).toBe(true);
    expect((await readPreprocessing(dir)).inputNormalization).toEqual(summary.normalization);
    model.dispose();
  });
});

describe('nnkit train on a diverging learning rate', () => {
  test('stops with the divergence error and still writes the report of the finished epochs', async () => {
    const report = join(tmp, 'diverged');
    const io = captureIo();
    // lr × 1000 every epoch: 0.01, 10, 10⁴, … — the weights overflow after a few epochs.
    const code = await main(['train', '--dataset', 'moons', '--optimizer', 'sgd', '--lr', '0.01', '--decay', 'exponential', '--decay-rate', '1000', '--epochs', '20', '--patience', '0', '--report', report], io);
    expect(code).toBe(1);
    const err = io.stderr.join('\n');
    expect(err).toMatch(/^error: fit\(\): training diverged/m);
    expect(err).not.toMatch(/\n\s+at /);
    const summary = JSON.parse(readFileSync(join(report, 'summary.json'), 'utf8')) as TrainSummary;
    expect(summary.training.diverged).toMatch(/diverged/);
    expect(summary.training.epochs.length).toBeGreaterThan(0);
    expect(summary.training.epochs.length).toBeLessThan(20);
    expect(err).toContain(`The report holds the ${summary.training.epochs.length} finished epochs.`);
    expect(existsSync(join(report, 'learning-curves.png'))).toBe(true);
    for (const e of summary.training.epochs) expect(io.stdout.join('\n')).toContain(epochLine(e, 20));
  }, 30_000);
});

describe('nnkit train on 2-D data', () => {
  test('moons: draws the decision boundary and learns the moons', async () => {
    const report = join(tmp, 'moons');
    const io = captureIo();
    const code = await main(['train', '--dataset', 'moons', '--layers', '16,8', '--epochs', '100', '--report', report], io);
    expect(code, io.stderr.join('\n')).toBe(0);
    expect(existsSync(join(report, 'decision-boundary.png'))).toBe(true);
    const summary = JSON.parse(readFileSync(join(report, 'summary.json'), 'utf8')) as TrainSummary;
    expect(summary.normalization.kind).toBe('feature');
    expect(summary.normalization.mean).toHaveLength(2);
    // Moons with noise 0.2 are separable to about 97%; a small net gets above 90% on test.
    expect(summary.evaluation!.test!.accuracy).toBeGreaterThan(0.9);
  }, 30_000);
});
