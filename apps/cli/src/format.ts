// Number formats shared by the terminal output and the report, so the two always agree.

/** A fraction as a percentage with two decimals: 0.97234 → "97.23%". */
export const pct = (f: number) => `${(f * 100).toFixed(2)}%`;
/** A loss with four significant digits. */
export const num4 = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : String(x));
/** A learning rate in short scientific form: 0.002 → "2.00e-3". */
export const rate = (x: number) => {
  if (x === 0) return '0';
  const [m, e] = x.toExponential(2).split('e');
  return `${m}e${Number(e)}`;
};
/** An integer with thousands separators. */
export const int = (x: number) => Math.round(x).toLocaleString('en-US');
/** Seconds with one decimal (two below 10 s). */
export const secs = (s: number) => `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;

/**
 * A plain-text table with aligned columns.
 * @param header - column titles
 * @param rows - cells
 * @param align - 'l' or 'r' per column (default: left for the first, right for the others)
 */
export function textTable(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const a = align ?? header.map((_, i) => (i === 0 ? 'l' : 'r'));
  const line = (cells: string[]) => cells.map((c, i) => (a[i] === 'l' ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
