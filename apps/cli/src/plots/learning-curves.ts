// Learning curves: loss and accuracy per epoch, raw and EWMA-smoothed, of the training set with
// dropout off (what the course says to judge), of the mini-batches as trained (dropout and
// augmentation on, a running mean over the epoch), and of the dev set — each labelled as such.
import { ewma } from '@nnkit/metrics';
import type { TopLevelSpec } from 'vega-lite';
import type { EpochRecord } from '../train/train-loop';

/** β of the smoothing: each point averages ≈ 1/(1 − β) = 2.5 epochs, enough for 10–50-epoch runs. */
export const SMOOTHING_BETA = 0.6;

/** The series' names, as the legend shows them. */
export const SETS = {
  train: 'train (dropout off)',
  batches: 'train mini-batches (dropout, augmentation on)',
  dev: 'dev',
} as const;

interface Row {
  epoch: number;
  set: (typeof SETS)[keyof typeof SETS];
  metric: 'loss' | 'accuracy';
  value: number;
  smoothed: number;
}

/**
 * The rows behind the chart (also written to the report).
 * @param epochs - the training history
 */
export function learningCurveRows(epochs: readonly EpochRecord[]): Row[] {
  const series: [Row['set'], Row['metric'], (r: EpochRecord) => number | undefined][] = [
    [SETS.train, 'loss', (r) => r.lossWithoutDropout], [SETS.batches, 'loss', (r) => r.loss], [SETS.dev, 'loss', (r) => r.devLoss],
    [SETS.train, 'accuracy', (r) => r.accuracyWithoutDropout], [SETS.batches, 'accuracy', (r) => r.accuracy], [SETS.dev, 'accuracy', (r) => r.devAccuracy],
  ];
  const measured = series.filter(([, , get]) => epochs.length > 0 && epochs.every((r) => get(r) !== undefined));
  return measured.flatMap(([set, metric, get]) => {
    const values = epochs.map((r) => get(r) as number);
    const smooth = values.length > 0 ? ewma(values, SMOOTHING_BETA, { biasCorrection: true }) : [];
    return values.map((value, i) => ({ epoch: epochs[i].epoch, set, metric, value, smoothed: smooth[i] }));
  });
}

/**
 * The learning-curves chart: loss on the left, accuracy on the right.
 * @param epochs - the training history
 * @param title - e.g. the data set and network
 */
export function learningCurvesSpec(epochs: readonly EpochRecord[], title: string): TopLevelSpec {
  const rows = learningCurveRows(epochs);
  const panel = (metric: Row['metric'], label: string) => ({
    width: 340,
    height: 240,
    title: label,
    transform: [{ filter: { field: 'metric', equal: metric } }],
    encoding: {
      x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
      color: { field: 'set', type: 'nominal' as const, scale: { domain: [SETS.train, SETS.batches, SETS.dev], range: ['#1f77b4', '#9ecae1', '#ff7f0e'] }, title: null },
    },
    layer: [
      { mark: { type: 'line' as const, opacity: 0.3, point: { size: 14, opacity: 0.3 } }, encoding: { y: { field: 'value', type: 'quantitative' as const, title: label, scale: { zero: false } } } },
      { mark: { type: 'line' as const, strokeWidth: 2.2 }, encoding: { y: { field: 'smoothed', type: 'quantitative' as const } } },
    ],
  });
  return {
    title: { text: title, subtitle: `thin: per epoch; thick: EWMA, β = ${SMOOTHING_BETA}, bias-corrected` },
    data: { values: rows },
    hconcat: [panel('loss', 'loss'), panel('accuracy', 'accuracy')],
    config: { legend: { orient: 'bottom', labelLimit: 400 } },
  } as TopLevelSpec;
}
