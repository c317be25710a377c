// The decision boundary: the model's class probabilities on a grid as a heatmap, with the training
// points (filled) and the dev points (rings) on top, all in the data's own coordinates.
import type { BoundaryGrid } from '../training/protocol';
import { autoCanvas, CLASS_COLORS, classColor } from './canvas';

export interface BoundaryPoints {
  train: Float32Array;
  trainLabels: Int32Array;
  dev: Float32Array;
  devLabels: Int32Array;
}

/** What the view shows; any part may be missing while a run is being built. */
export interface BoundaryState {
  grid: BoundaryGrid | null;
  classes: number;
  probabilities: Float32Array | null;
  points: BoundaryPoints | null;
  showDev: boolean;
}

/**
 * Colours one cell: for two classes a blend from class 0 to class 1 through white at p = ½, so the
 * boundary is the pale band; for more, the most likely class's colour, paler where it is unsure.
 */
function cellColor(probabilities: Float32Array, cell: number, classes: number): [number, number, number] {
  let k = 0;
  let confidence: number;
  if (classes === 2) {
    const p = probabilities[cell];
    k = p >= 0.5 ? 1 : 0;
    confidence = Math.abs(p - 0.5) * 2;
  } else {
    let best = -1;
    for (let j = 0; j < classes; j++) {
      const p = probabilities[cell * classes + j];
      if (p > best) {
        best = p;
        k = j;
      }
    }
    confidence = (best - 1 / classes) / (1 - 1 / classes);
  }
  const [r, g, b] = CLASS_COLORS[k];
  const t = 0.12 + 0.5 * confidence;
  return [255 + (r - 255) * t, 255 + (g - 255) * t, 255 + (b - 255) * t];
}

/**
 * Draws the boundary state on `canvas`.
 *
 * @param canvas - a square canvas
 * @param state - read at every redraw
 * @returns redraw
 */
export function boundaryView(canvas: HTMLCanvasElement, state: () => BoundaryState): () => void {
  const cells = document.createElement('canvas');
  return autoCanvas(canvas, ({ ctx, width, height }) => {
    const { grid, probabilities, points, classes, showDev } = state();
    ctx.fillStyle = '#f7f8fa';
    ctx.fillRect(0, 0, width, height);
    if (!grid) return;
    const n = grid.resolution;
    if (probabilities && probabilities.length >= n * n * (classes === 2 ? 1 : classes)) {
      cells.width = n;
      cells.height = n;
      const cctx = cells.getContext('2d')!;
      const image = cctx.createImageData(n, n);
      for (let cell = 0; cell < n * n; cell++) {
        const [r, g, b] = cellColor(probabilities, cell, classes);
        image.data.set([r, g, b, 255], cell * 4);
      }
      cctx.putImageData(image, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(cells, 0, 0, width, height);
    }
    if (!points) return;
    const [xMin, xMax, yMin, yMax] = grid.bounds;
    const sx = (x: number) => ((x - xMin) / (xMax - xMin)) * width;
    const sy = (y: number) => (1 - (y - yMin) / (yMax - yMin)) * height;
    const radius = Math.max(2, Math.min(4, width / 110));
    ctx.lineWidth = 1;
    for (let i = 0; i < points.trainLabels.length; i++) {
      ctx.beginPath();
      ctx.arc(sx(points.train[2 * i]), sy(points.train[2 * i + 1]), radius, 0, 2 * Math.PI);
      ctx.fillStyle = classColor(points.trainLabels[i]);
      ctx.fill();
      ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
      ctx.stroke();
    }
    if (!showDev) return;
    ctx.lineWidth = 1.8;
    for (let i = 0; i < points.devLabels.length; i++) {
      ctx.beginPath();
      ctx.arc(sx(points.dev[2 * i]), sy(points.dev[2 * i + 1]), radius + 0.5, 0, 2 * Math.PI);
      ctx.strokeStyle = classColor(points.devLabels[i]);
      ctx.stroke();
    }
  });
}
