// Dev accuracy of every tuning trial against its learning rate, on a log axis: where the good
// learning rates are, at a glance.
import type { TopLevelSpec } from 'vega-lite';

/** One point of the chart. */
export interface TrialPoint {
  id: number;
  learningRate: number;
  devAccuracy: number;
  units: number;
  dropout: number;
  beta: number;
}

/**
 * The chart.
 * @param trials - finished trials
 * @param title - chart title
 */
export function tuningScatterSpec(trials: readonly TrialPoint[], title: string): TopLevelSpec {
  return {
    title: { text: title, subtitle: 'each point is one trial; colour: hidden units; size: dropout' },
    data: { values: trials },
    width: 480,
    height: 300,
    mark: { type: 'point', filled: true, opacity: 0.85 },
    encoding: {
      x: { field: 'learningRate', type: 'quantitative', scale: { type: 'log' }, title: 'learning rate (log scale)', axis: { format: '.0e' } },
      y: { field: 'devAccuracy', type: 'quantitative', scale: { zero: false }, title: 'dev accuracy', axis: { format: '.0%' } },
      color: { field: 'units', type: 'ordinal', scale: { scheme: 'viridis' }, title: 'units' },
      size: { field: 'dropout', type: 'quantitative', scale: { range: [40, 200] }, title: 'dropout' },
      tooltip: [{ field: 'id' }, { field: 'learningRate', format: '.2e' }, { field: 'beta' }, { field: 'units' }, { field: 'dropout' }, { field: 'devAccuracy', format: '.2%' }],
    },
  } as TopLevelSpec;
}
