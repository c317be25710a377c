// A live line chart on a canvas: several series, linear or log y, axes with ticks, a legend. Long
// series are drawn as one min–max segment per pixel column, so a spike in the raw loss still shows.
import { formatTick, linearTicks, logTicks } from './axes';
import { autoCanvas, type Surface } from './canvas';
import type { Series } from './series';

/** One line of a chart. */
export interface ChartLine {
  label: string;
  series: Series;
  color: string;
  width?: number;
  dashed?: boolean;
}

export interface LineChartOptions {
  /** Log-scaled y axis (values ≤ 0 are skipped). */
  logY?: boolean;
  xLabel?: string;
  /** Text shown when no line has points. */
  empty?: string;
}

const PAD = { left: 48, right: 10, top: 22, bottom: 28 };
const LEGEND_ROW = 14;

/**
 * Draws `lines()` on `canvas` whenever the returned `redraw` is called (or the canvas is resized).
 *
 * @param canvas - the element
 * @param lines - the lines to draw, read at every redraw (so lines can be added later)
 * @param options - log y, axis label, empty text
 * @returns redraw
 * @example
 * const redraw = lineChart(el, () => [{ label: 'loss', series, color: '#1f77b4' }]);
 */
export function lineChart(canvas: HTMLCanvasElement, lines: () => ChartLine[], options: LineChartOptions = {}): () => void {
  return autoCanvas(canvas, (surface) => drawChart(surface, lines(), options));
}

function drawChart({ ctx, width, height }: Surface, lines: ChartLine[], options: LineChartOptions): void {
  const logY = options.logY === true;
  const ok = (y: number) => Number.isFinite(y) && (!logY || y > 0);
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (const { series } of lines) {
    const xs = series.xs;
    const ys = series.ys;
    for (let i = 0; i < xs.length; i++) {
      if (!ok(ys[i])) continue;
      xMin = Math.min(xMin, xs[i]);
      xMax = Math.max(xMax, xs[i]);
      yMin = Math.min(yMin, ys[i]);
      yMax = Math.max(yMax, ys[i]);
    }
  }
  ctx.font = '11px system-ui, sans-serif';
  if (!Number.isFinite(xMin)) {
    ctx.fillStyle = '#7a8494';
    ctx.textAlign = 'center';
    ctx.fillText(options.empty ?? 'No data yet — press play or step.', width / 2, height / 2);
    return;
  }
  if (xMax === xMin) xMax = xMin + 1;
  if (logY) {
    yMin = 10 ** (Math.floor(Math.log10(yMin) * 4) / 4);
    yMax = 10 ** (Math.ceil(Math.log10(yMax) * 4) / 4);
    if (yMax <= yMin) yMax = yMin * 10;
  } else {
    const span = yMax - yMin || Math.abs(yMax) || 1;
    // Start at 0 when the values are non-negative and 0 is not far away: losses read best that way.
    yMin = yMin >= 0 && yMin < span ? 0 : yMin - 0.05 * span;
    yMax += 0.05 * span;
  }
  const legend = layoutLegend(ctx, lines, width);
  const top = PAD.top + (legend.rows - 1) * LEGEND_ROW;
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - top - PAD.bottom;
  const px = (x: number) => PAD.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const py = logY
    ? (y: number) => top + (1 - (Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotH
    : (y: number) => top + (1 - (y - yMin) / (yMax - yMin)) * plotH;

  // Grid and ticks.
  ctx.strokeStyle = '#e3e7ee';
  ctx.fillStyle = '#5b6575';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of logY ? logTicks(yMin, yMax, 5) : linearTicks(yMin, yMax, 4)) {
    const y = Math.round(py(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(PAD.left, y);
    ctx.lineTo(width - PAD.right, y);
    ctx.stroke();
    ctx.fillText(formatTick(t), PAD.left - 5, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of linearTicks(xMin, xMax, Math.max(2, Math.floor(plotW / 70)))) {
    const x = Math.round(px(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, height - PAD.bottom);
    ctx.stroke();
    ctx.fillText(formatTick(t), x, height - PAD.bottom + 4);
  }
  if (options.xLabel) {
    ctx.textAlign = 'right';
    ctx.fillStyle = '#7a8494';
    ctx.fillText(options.xLabel, width - PAD.right, height - 12);
  }

  ctx.save();
  ctx.beginPath();
  ctx.rect(PAD.left, top, plotW, plotH);
  ctx.clip();
  for (const line of lines) drawLine(ctx, line, px, py, ok);
  ctx.restore();
  drawLegend(ctx, lines, legend.positions);
}

function drawLine(
  ctx: CanvasRenderingContext2D, line: ChartLine, px: (x: number) => number, py: (y: number) => number, ok: (y: number) => boolean,
): void {
  const xs = line.series.xs;
  const ys = line.series.ys;
  ctx.strokeStyle = line.color;
  ctx.fillStyle = line.color;
  ctx.lineWidth = line.width ?? 1.5;
  ctx.setLineDash(line.dashed ? [5, 4] : []);
  ctx.beginPath();
  let column = Number.NaN;
  let lo = 0;
  let hi = 0;
  let started = false;
  const flush = () => {
    if (Number.isNaN(column)) return;
    if (!started) ctx.moveTo(column, lo);
    ctx.lineTo(column, lo);
    if (hi !== lo) ctx.lineTo(column, hi);
    started = true;
  };
  for (let i = 0; i < xs.length; i++) {
    if (!ok(ys[i])) continue;
    const x = Math.round(px(xs[i]));
    const y = py(ys[i]);
    if (x !== column) {
      flush();
      column = x;
      lo = y;
      hi = y;
    } else {
      lo = Math.min(lo, y);
      hi = Math.max(hi, y);
    }
  }
  flush();
  ctx.stroke();
  if (xs.length === 1 && ok(ys[0])) {
    ctx.beginPath();
    ctx.arc(px(xs[0]), py(ys[0]), 2.5, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.setLineDash([]);
}

/** Places legend entries left to right in reading order, wrapping to a new row at the right edge. */
function layoutLegend(ctx: CanvasRenderingContext2D, lines: ChartLine[], width: number): { rows: number; positions: [number, number][] } {
  ctx.font = '11px system-ui, sans-serif';
  const positions: [number, number][] = [];
  let x = PAD.left;
  let row = 0;
  for (const line of lines) {
    const w = ctx.measureText(line.label).width + 24;
    if (x + w > width - PAD.right && x > PAD.left) {
      row++;
      x = PAD.left;
    }
    positions.push([x, 10 + row * LEGEND_ROW]);
    x += w;
  }
  return { rows: row + 1, positions };
}

function drawLegend(ctx: CanvasRenderingContext2D, lines: ChartLine[], positions: [number, number][]): void {
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  lines.forEach((line, i) => {
    const [x, y] = positions[i];
    ctx.strokeStyle = line.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(line.dashed ? [4, 3] : []);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 14, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#3a4352';
    ctx.fillText(line.label, x + 17, y);
  });
}
