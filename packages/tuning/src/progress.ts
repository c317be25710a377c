// One status line while a study runs — trials done, best so far, rate, ETA — rewritten in place
// on a terminal, and silent when stderr is not a TTY (CI logs, pipes, browsers).
import type { Study } from './study';

interface Tty {
  isTTY?: boolean;
  write(s: string): unknown;
}

/** A progress display. */
export interface Progress {
  update(study: Study): void;
  end(): void;
}

function stderr(): Tty | undefined {
  return (globalThis as { process?: { stderr?: Tty } }).process?.stderr;
}

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * The status line for a study: `trials 12/50 · best 0.9312 (#7) · 2.1/s · ETA 18s`.
 *
 * @param study - the study so far
 * @param total - expected number of trials, if known
 * @param finishedThisRun - trials finished since this run started (for the rate)
 * @param elapsedMs - time since this run started
 * @returns the line
 * @example
 * progressLine(study, 50, 12, 5700);
 */
export function progressLine(study: Study, total: number | undefined, finishedThisRun: number, elapsedMs: number): string {
  const done = study.trials.filter((t) => t.state !== 'running').length;
  const best = study.bestOrUndefined();
  const rate = elapsedMs > 0 ? (finishedThisRun * 1000) / elapsedMs : 0;
  const parts = [`trials ${done}${total !== undefined ? `/${total}` : ''}`];
  parts.push(best ? `best ${Number(best.value.toPrecision(5))} (#${best.id})` : 'best —');
  parts.push(`${rate.toFixed(2)}/s`);
  if (total !== undefined && rate > 0) parts.push(`ETA ${fmtSeconds(Math.max(0, total - done) / rate)}`);
  return parts.join(' · ');
}

/**
 * A progress display on stderr (or `out`). By default it shows only on a TTY, where it rewrites one
 * line in place; forced on elsewhere (`enabled: true`), it prints one line per finished trial.
 *
 * @param enabled - true/false to force, undefined to follow whether the stream is a TTY
 * @param total - expected number of trials, if known
 * @param out - where to write (for tests); default process.stderr
 * @returns the display
 * @example
 * const p = createProgress(undefined, 50); p.update(study); p.end();
 */
export function createProgress(enabled: boolean | undefined, total: number | undefined, out?: Tty): Progress {
  const stream = out ?? stderr();
  const on = stream !== undefined && (enabled ?? stream.isTTY === true);
  const inPlace = stream?.isTTY === true;
  const t0 = Date.now();
  let finished = 0;
  let shown = false;
  return {
    update(study) {
      finished++;
      if (!on || !stream) return;
      const line = progressLine(study, total, finished, Date.now() - t0);
      stream.write(inPlace ? `\r\x1b[2K${line}` : `${line}\n`);
      shown = true;
    },
    end() {
      if (shown && inPlace && stream) stream.write('\n');
    },
  };
}
