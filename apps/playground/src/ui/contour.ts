// A surface drawn as filled contour bands: log-spaced levels above the lowest value in view, so
// the narrow valleys and the flat plateaus are both visible, with a darker edge between bands.
import type { Surface } from '../surfaces/surfaces';

const BANDS = 16;
/** Light (low) to dark (high) ramp. */
const LOW: [number, number, number] = [250, 250, 240];
const HIGH: [number, number, number] = [92, 128, 170];

/**
 * Paints `surface` over its bounds into an offscreen canvas of `width` × `height` pixels.
 *
 * @returns the canvas, to draw scaled onto the visible one
 */
export function renderContours(surface: Surface, width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const [xMin, xMax, yMin, yMax] = surface.bounds;
  const values = new Float64Array(width * height);
  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const v = surface.f(xMin + ((c + 0.5) / width) * (xMax - xMin), yMax - ((r + 0.5) / height) * (yMax - yMin));
      values[r * width + c] = v;
      lowest = Math.min(lowest, v);
      highest = Math.max(highest, v);
    }
  }
  // Levels in log(f − lowest + δ): δ sets how finely the bottom of a valley is resolved.
  const delta = (highest - lowest) * 1e-4 + 1e-12;
  const top = Math.log(highest - lowest + delta);
  const bottom = Math.log(delta);
  const band = new Int32Array(width * height);
  for (let i = 0; i < values.length; i++) {
    band[i] = Math.min(BANDS - 1, Math.floor(((Math.log(values[i] - lowest + delta) - bottom) / (top - bottom)) * BANDS));
  }
  const image = ctx.createImageData(width, height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      const t = band[i] / (BANDS - 1);
      const edge = (c + 1 < width && band[i + 1] !== band[i]) || (r + 1 < height && band[i + width] !== band[i]);
      const shade = edge ? 0.8 : 1;
      image.data.set(
        [0, 1, 2].map((k) => (LOW[k] + (HIGH[k] - LOW[k]) * t) * shade).concat(255),
        i * 4,
      );
    }
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}
