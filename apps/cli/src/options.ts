// Parsers for option values. Each throws commander's InvalidArgumentError, which commander turns
// into "error: option '--epochs <n>' argument '-1' is invalid. Expected …" and exit code 1.
import { InvalidArgumentError } from 'commander';

/**
 * An integer parser with bounds.
 * @param min - smallest accepted value
 * @param max - largest accepted value
 * @returns a commander argument parser
 * @example
 * program.option('--epochs <n>', 'passes over the data', integer(1), 30);
 */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `between ${min} and ${max}`;
      throw new InvalidArgumentError(`Expected an integer ${range}.`);
    }
    return n;
  };
}

/**
 * A real-number parser on [min, max], or (min, max] with `openMin`.
 * @returns a commander argument parser
 * @example
 * program.option('--lr <rate>', 'learning rate', real(0, Infinity, true), 2e-3);
 */
export function real(min: number, max: number, openMin = false): (value: string) => number {
  return (value) => {
    const n = Number(value);
    const ok = value.trim() !== '' && Number.isFinite(n) && (openMin ? n > min : n >= min) && n <= max;
    if (!ok) {
      const lo = openMin ? `> ${min}` : `≥ ${min}`;
      throw new InvalidArgumentError(`Expected a number ${lo}${Number.isFinite(max) ? ` and ≤ ${max}` : ''}.`);
    }
    return n;
  };
}

/**
 * A parser accepting one of `choices`.
 * @example
 * program.option('--optimizer <name>', 'update rule', oneOf(['adam', 'sgd']), 'adam');
 */
export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`Expected one of ${choices.join(', ')}.`);
    return value as T;
  };
}

/**
 * Comma-separated positive integers, e.g. hidden layer sizes `256,128`; an empty string is no layers.
 * @example
 * program.option('--layers <units>', 'hidden layers', integerList, [256, 128]);
 */
export function integerList(value: string): number[] {
  if (value.trim() === '') return [];
  const parts = value.split(',').map((s) => s.trim());
  const out = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p)) || out.some((n) => n < 1)) {
    throw new InvalidArgumentError('Expected comma-separated positive integers, e.g. 256,128.');
  }
  return out;
}

/** Train/dev/test fractions from `80/10/10`, `0.98/0.01/0.01` or `90/10` (no test set). */
export function splitRatios(value: string): { train: number; dev: number; test: number } {
  const parts = value.split('/').map((s) => Number(s.trim()));
  if ((parts.length !== 2 && parts.length !== 3) || parts.some((p) => !Number.isFinite(p) || p < 0)) {
    throw new InvalidArgumentError('Expected train/dev/test shares such as 80/10/10 or 0.98/0.01/0.01.');
  }
  const total = parts.reduce((s, p) => s + p, 0);
  const [train, dev, test = 0] = parts.map((p) => p / total);
  if (train === 0 || dev === 0) throw new InvalidArgumentError('Expected non-zero train and dev shares.');
  return { train, dev, test };
}
