// The confusion matrix as a heat map: rows are true classes, columns predicted ones.
import type { TopLevelSpec } from 'vega-lite';

/**
 * The chart of a confusion matrix.
 * @param matrix - counts, matrix[true][predicted] (as @nnkit/metrics' confusionMatrix returns)
 * @param labels - class names
 * @param title - chart title
 */
export function confusionMatrixSpec(matrix: readonly (readonly number[])[], labels: readonly string[], title: string): TopLevelSpec {
  const values = matrix.flatMap((row, t) => {
    const total = row.reduce((s, c) => s + c, 0) || 1;
    return row.map((count, p) => ({ actual: labels[t], predicted: labels[p], count, share: count / total }));
  });
  const cell = Math.max(24, Math.min(48, Math.floor(420 / labels.length)));
  const axis = { field: '', type: 'ordinal' as const, sort: [...labels] };
  return {
    title: { text: title, subtitle: 'rows: true class; columns: predicted; colour: share of the row' },
    data: { values },
    width: cell * labels.length,
    height: cell * labels.length,
    encoding: {
      x: { ...axis, field: 'predicted', title: 'predicted', axis: { orient: 'top', labelAngle: 0 } },
      y: { ...axis, field: 'actual', title: 'true' },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'share', type: 'quantitative', scale: { scheme: 'blues', domain: [0, 1] }, legend: null } } },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: '#333' },
        },
      },
    ],
  } as TopLevelSpec;
}
