// Learning curves: train and dev loss and accuracy per epoch, raw and EWMA-smoothed.
import { ewma } from '@nnkit/metrics';
import type { TopLevelSpec } from 'vega-lite';
import type { EpochRecord } from '../train/train-loop';

/** β of the smoothing: each point averages ≈ 1/(1 − β) = 2.5 epochs, enough for 10–50-epoch runs. */
export const SMOOTHING_BETA = 0.6;

interface Row {
  epoch: number;
  set: 'train' | 'dev';
  metric: 'loss' | 'accuracy';
  value: number;
  smoothed: number;
}

/**
 * The rows behind the chart (also written to the report).
 * @param epochs - the training history
 */
export function learningCurveRows(epochs: readonly EpochRecord[]): Row[] {
  const series: [Row['set'], Row['metric'], (r: EpochRecord) => number][] = [
    ['train', 'loss', (r) => r.loss], ['dev', 'loss', (r) => r.devLoss],
    ['train', 'accuracy', (r) => r.accuracy], ['dev', 'accuracy', (r) => r.devAccuracy],
  ];
  return series.flatMap(([set, metric, get]) => {
    const values = epochs.map(get);
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
      color: { field: 'set', type: 'nominal' as const, scale: { domain: ['train', 'dev'], range: ['#1f77b4', '#ff7f0e'] }, title: null },
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
  } as TopLevelSpec;
}
