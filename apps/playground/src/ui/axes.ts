// Axis ticks and labels for the charts: "nice" linear steps (1, 2, 5 × 10^k) and decades on log axes.

/** Tick values covering [min, max], about `count` of them. */
export function linearTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

/** Powers of ten inside [min, max] (both > 0); thinned to about `count`. */
export function logTicks(min: number, max: number, count = 6): number[] {
  const lo = Math.ceil(Math.log10(min));
  const hi = Math.floor(Math.log10(max));
  const every = Math.max(1, Math.ceil((hi - lo + 1) / count));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += every) ticks.push(10 ** e);
  return ticks;
}

/** A short label: 0.25, 1.2k, 3e-5. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(Math.abs(Number(v.toExponential(0)) - v) <= a * 1e-9 ? 0 : 1).replace('+', '');
  if (a >= 1000) return `${Number((v / 1000).toPrecision(3))}k`;
  return String(Number(v.toPrecision(3)));
}
