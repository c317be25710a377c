// Where the app writes: results to stdout, progress and errors to stderr. Commands receive an `Io`
// instead of touching `process` so that tests can run them in-process and read what they printed.
import { styleText } from 'node:util';

/** The streams a command writes to. */
export interface Io {
  /** A line of results (stdout). */
  out(line?: string): void;
  /** A line of diagnostics or errors (stderr). */
  err(line?: string): void;
  /** The stream live progress bars draw on. */
  readonly progressStream: NodeJS.WriteStream | null;
  /** Whether colours and redrawn progress bars make sense (stderr is a terminal). */
  readonly interactive: boolean;
}

/** The process's own streams. */
export function processIo(): Io {
  const interactive = Boolean(process.stderr.isTTY) && !process.env.CI;
  return {
    out: (line = '') => process.stdout.write(`${line}\n`),
    err: (line = '') => process.stderr.write(`${line}\n`),
    progressStream: interactive ? process.stderr : null,
    interactive,
  };
}

/** An Io that records lines, for tests and for capturing a command's output. */
export interface CapturedIo extends Io {
  readonly stdout: string[];
  readonly stderr: string[];
}

/** Records every line instead of printing it. */
export function captureIo(): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line = '') => stdout.push(...line.split('\n')),
    err: (line = '') => stderr.push(...line.split('\n')),
    progressStream: null,
    interactive: false,
  };
}

type Style = Parameters<typeof styleText>[0];

/** Styles text for a terminal; plain text when output is not interactive or NO_COLOR is set. */
export function paint(io: Io, style: Style, text: string): string {
  return io.interactive && !process.env.NO_COLOR ? styleText(style, text) : text;
}
