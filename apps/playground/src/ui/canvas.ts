// A canvas that keeps its drawing buffer at the element's CSS size times the device pixel ratio, so
// plots stay sharp on any screen and redraw when the layout changes their size.

/** A 2-D context in CSS pixels, with the drawing area's size. */
export interface Surface {
  ctx: CanvasRenderingContext2D;
  width: number;
  height: number;
}

/**
 * Sizes `canvas` to its CSS box (times the pixel ratio) and calls `draw` now and after every resize.
 *
 * @param canvas - the element to draw on
 * @param draw - paints the whole picture in CSS pixel coordinates
 * @returns `redraw()`, to call when the data changes
 * @example
 * const redraw = autoCanvas(el, ({ ctx, width, height }) => ctx.fillRect(0, 0, width, height));
 */
export function autoCanvas(canvas: HTMLCanvasElement, draw: (surface: Surface) => void): () => void {
  let pending = false;
  const paint = () => {
    pending = false;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, canvas.clientWidth);
    const height = Math.max(1, canvas.clientHeight);
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    draw({ ctx, width, height });
  };
  // Many messages can arrive between two frames; paint once per frame.
  const redraw = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(paint);
  };
  new ResizeObserver(redraw).observe(canvas);
  redraw();
  return redraw;
}

/** Class colours: the same class has the same colour in the points, the heatmap and the digits. */
export const CLASS_COLORS: readonly [number, number, number][] = [
  [234, 112, 40],
  [31, 119, 180],
  [44, 160, 44],
  [148, 103, 189],
  [214, 39, 40],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
];

/** `rgb(…)` of a class, optionally with alpha. */
export function classColor(k: number, alpha = 1): string {
  const [r, g, b] = CLASS_COLORS[k % CLASS_COLORS.length];
  return alpha === 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
