// Decision boundaries of 2-D classifiers: the model's prediction on a grid over the data, as a
// coloured field, with the data points on top.
import type { TopLevelSpec } from 'vega-lite';

/** Cells per side of the grid: fine enough for a smooth boundary, small enough for a light SVG. */
export const GRID_CELLS = 80;

/** The grid the model is evaluated on. */
export interface Grid {
  /** Row-major [GRID_CELLS², 2] points (cell centres). */
  points: Float32Array;
  xs: number[];
  ys: number[];
  step: [number, number];
}

/**
 * A grid covering the points with a margin of 10% of their range.
 * @param x - row-major [n, 2] coordinates
 */
export function gridOver(x: ArrayLike<number>): Grid {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < x.length; i += 2) {
    x0 = Math.min(x0, x[i]);
    x1 = Math.max(x1, x[i]);
    y0 = Math.min(y0, x[i + 1]);
    y1 = Math.max(y1, x[i + 1]);
  }
  const mx = (x1 - x0) * 0.1 || 1;
  const my = (y1 - y0) * 0.1 || 1;
  [x0, x1, y0, y1] = [x0 - mx, x1 + mx, y0 - my, y1 + my];
  const step: [number, number] = [(x1 - x0) / GRID_CELLS, (y1 - y0) / GRID_CELLS];
  const xs = Array.from({ length: GRID_CELLS }, (_, i) => x0 + (i + 0.5) * step[0]);
  const ys = Array.from({ length: GRID_CELLS }, (_, i) => y0 + (i + 0.5) * step[1]);
  const points = new Float32Array(GRID_CELLS * GRID_CELLS * 2);
  let k = 0;
  for (const yv of ys) {
    for (const xv of xs) {
      points[k++] = xv;
      points[k++] = yv;
    }
  }
  return { points, xs, ys, step };
}

/**
 * The chart.
 * @param grid - from {@link gridOver}
 * @param predicted - the predicted class of every grid point
 * @param x - row-major [n, 2] data points (in the same coordinates as the grid)
 * @param labels - their classes
 * @param title - chart title
 */
export function decisionBoundarySpec(grid: Grid, predicted: ArrayLike<number>, x: ArrayLike<number>, labels: ArrayLike<number>, title: string): TopLevelSpec {
  const cells = [];
  for (let i = 0; i < predicted.length; i++) {
    const cx = grid.points[2 * i];
    const cy = grid.points[2 * i + 1];
    cells.push({ x: cx - grid.step[0] / 2, x2: cx + grid.step[0] / 2, y: cy - grid.step[1] / 2, y2: cy + grid.step[1] / 2, region: String(predicted[i]) });
  }
  const points = Array.from({ length: labels.length }, (_, i) => ({ x: x[2 * i], y: x[2 * i + 1], label: String(labels[i]) }));
  const classes = [...new Set([...points.map((p) => p.label), ...cells.map((c) => c.region)])].sort();
  const palette = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
  const color = { domain: classes, range: classes.map((_, i) => palette[i % palette.length]) };
  const scale = { zero: false, nice: false };
  return {
    title,
    width: 360,
    height: 360,
    layer: [
      {
        data: { values: cells },
        mark: { type: 'rect', opacity: 0.28 },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale, title: 'x1' },
          x2: { field: 'x2' },
          y: { field: 'y', type: 'quantitative', scale, title: 'x2' },
          y2: { field: 'y2' },
          color: { field: 'region', type: 'nominal', scale: color, title: 'class' },
        },
      },
      {
        data: { values: points },
        mark: { type: 'circle', size: 22, opacity: 0.9, stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          color: { field: 'label', type: 'nominal', scale: color, title: 'class' },
        },
      },
    ],
  } as TopLevelSpec;
}
