// The grid of input points on which the decision boundary is evaluated. Rows run from the top of
// the picture (largest y) down, as a canvas draws them.
import type { BoundaryGrid } from './protocol';

/** Cells per side of the decision-boundary heatmap. */
export const BOUNDARY_RESOLUTION = 64;
/** Margin around the data, as a share of its extent. */
const MARGIN = 0.12;

/**
 * A square region around every point (train and dev), so both axes keep the same scale.
 *
 * @param sets - row-major 2-D points
 * @returns the grid's resolution and bounds
 * @example
 * boundaryGrid(new Float32Array([0, 0, 1, 1])); // { resolution: 64, bounds: [-0.12, 1.12, -0.12, 1.12] }
 */
export function boundaryGrid(...sets: Float32Array[]): BoundaryGrid {
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (const points of sets) {
    for (let i = 0; i + 1 < points.length; i += 2) {
      xMin = Math.min(xMin, points[i]);
      xMax = Math.max(xMax, points[i]);
      yMin = Math.min(yMin, points[i + 1]);
      yMax = Math.max(yMax, points[i + 1]);
    }
  }
  const half = (Math.max(xMax - xMin, yMax - yMin, 1e-6) * (1 + 2 * MARGIN)) / 2;
  const cx = (xMin + xMax) / 2;
  const cy = (yMin + yMax) / 2;
  return { resolution: BOUNDARY_RESOLUTION, bounds: [cx - half, cx + half, cy - half, cy + half] };
}

/**
 * The centres of the grid's cells, row-major from the top-left cell.
 *
 * @param grid - resolution and bounds
 * @returns [resolution², 2] points
 * @example
 * gridPoints({ resolution: 2, bounds: [0, 2, 0, 2] }); // (0.5, 1.5), (1.5, 1.5), (0.5, 0.5), (1.5, 0.5)
 */
export function gridPoints(grid: BoundaryGrid): Float32Array {
  const { resolution: n, bounds: [xMin, xMax, yMin, yMax] } = grid;
  const out = new Float32Array(n * n * 2);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      out[2 * (r * n + c)] = xMin + ((c + 0.5) * (xMax - xMin)) / n;
      out[2 * (r * n + c) + 1] = yMax - ((r + 0.5) * (yMax - yMin)) / n;
    }
  }
  return out;
}
