// Text views of a study's trials: an aligned table for terminals and logs, and CSV for
// spreadsheets and plotting tools.
import type { TrialRecord } from './records';

/** Options of {@link formatTable}. */
export interface TableOptions {
  /** Show only the best `top` trials (default: all). */
  top?: number;
  /** 'best' (default: completed first, best value first) or 'id'. */
  sort?: 'best' | 'id';
}

function fmtNumber(x: number): string {
  if (Number.isNaN(x)) return '—';
  if (Number.isInteger(x) || !Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(3) : String(Number(x.toPrecision(5)));
}

function cell(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return fmtNumber(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * The keys of all trials' params, in first-seen order (conditional keys included once seen).
 *
 * @param trials - trial records
 * @returns the parameter names
 * @example
 * paramKeys(study.trials); // ['learningRate', 'beta', 'units2']
 */
export function paramKeys(trials: readonly TrialRecord[]): string[] {
  return [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
}

/**
 * Orders trials best first: completed ones by value in the study's direction, then pruned, failed
 * and running ones by id.
 *
 * @param trials - trial records
 * @param direction - 'minimize' or 'maximize'
 * @returns a new sorted array
 * @example
 * rankTrials(study.trials, 'maximize')[0]; // the best trial
 */
export function rankTrials<T extends Pick<TrialRecord, 'id' | 'state' | 'value'>>(trials: readonly T[], direction: 'minimize' | 'maximize'): T[] {
  const order = { complete: 0, pruned: 1, failed: 2, running: 3 } as const;
  const sign = direction === 'maximize' ? -1 : 1;
  return [...trials].sort((a, b) => {
    if (order[a.state] !== order[b.state]) return order[a.state] - order[b.state];
    if (a.state === 'complete' && a.value !== b.value) return sign * (a.value - b.value);
    return a.id - b.id;
  });
}

/**
 * Formats trials as an aligned text table: id, state, value, duration, then one column per
 * parameter (blank where a conditional parameter was inactive).
 *
 * @param trials - trial records
 * @param direction - used to rank when `sort` is 'best'
 * @param options - how many rows and which order
 * @returns the table, lines joined with '\n'
 * @example
 * console.log(formatTable(study.trials, 'maximize', { top: 10 }));
 */
export function formatTable(trials: readonly TrialRecord[], direction: 'minimize' | 'maximize', options: TableOptions = {}): string {
  const keys = paramKeys(trials);
  let rows = options.sort === 'id' ? [...trials].sort((a, b) => a.id - b.id) : rankTrials(trials, direction);
  if (options.top !== undefined) rows = rows.slice(0, options.top);
  const header = ['id', 'state', 'value', 'ms', ...keys];
  const body = rows.map((t) => [String(t.id), t.state, fmtNumber(t.value), String(Math.round(t.durationMs)), ...keys.map((k) => cell(t.params[k]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 || i === 2 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function csvField(v: unknown): string {
  const s = v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Formats trials as CSV (RFC 4180): id, state, value, durationMs, attempt, the structure columns
 * that are used (round, bracket, rung, resource; retryOf in shared studies), then one column per parameter.
 *
 * @param trials - trial records, written in id order
 * @returns the CSV text, ending with a newline
 * @example
 * fs.writeFileSync('trials.csv', toCSV(study.trials));
 */
export function toCSV(trials: readonly TrialRecord[]): string {
  const keys = paramKeys(trials);
  const meta = (['round', 'bracket', 'rung', 'resource', 'retryOf'] as const).filter((m) => trials.some((t) => t[m] !== undefined));
  const header = ['id', 'state', 'value', 'durationMs', 'attempt', ...meta, ...keys, 'error'];
  const rows = [...trials]
    .sort((a, b) => a.id - b.id)
    .map((t) => [t.id, t.state, t.value, t.durationMs, t.attempt, ...meta.map((m) => t[m]), ...keys.map((k) => t.params[k]), t.error]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}
