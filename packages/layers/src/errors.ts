// Argument checks shared by the layers, the losses and the model. Every check throws NnkitError
// before any state changes, naming the value it got and the one it expected.
import { checkOptionKeys, describeValue, NnkitError, type NnkitErrorCode, type Tensor } from '@nnkit/tensor-wasm';

/** Throws a NnkitError with `code` and `message`. */
export function fail(code: NnkitErrorCode, message: string): never {
  throw new NnkitError(code, message);
}

/** Formats a shape the way tensor-wasm does: [64, 784]. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * A layer's options after refusing unknown keys (`activaton:`); returns its `name` for the Layer
 * constructor, which must run before anything else in a subclass.
 */
export function layerName(options: { name?: string }, known: readonly string[], where: string): string | undefined {
  return checkOptionKeys(options, known, where).name as string | undefined;
}

/** A finite number in [min, max] (or (min, max] with `openMin`). */
export function checkNumber(value: unknown, name: string, where: string, min: number, max: number, openMin = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (openMin ? value > min : value >= min) && value <= max;
  if (!ok) {
    const range = `${openMin ? '(' : '['}${min}, ${max}]`;
    fail('INVALID_ARGUMENT', `${where}: ${name} must be a number in ${range}, got ${describeValue(value)}`);
  }
  return value as number;
}

/** A positive integer. */
export function checkPositiveInt(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    fail('INVALID_ARGUMENT', `${where}: ${name} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

/** A rank-2 tensor [rows, features]. */
export function checkMatrix(x: Tensor, name: string, where: string): void {
  if (x.shape.length !== 2) {
    fail('INVALID_SHAPE', `${where}: ${name} must be 2-D [examples, features], got shape ${shapeText(x.shape)}`);
  }
}
