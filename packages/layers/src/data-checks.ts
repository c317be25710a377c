// Checks of user data against the model, run once per call of fit / evaluate / predict /
// trainStep and before anything changes: shapes, dtypes, NaN, labels in range, emptiness.
import { countNonFinite, describeValue, type DType, Tensor, tensorHint } from '@nnkit/tensor-wasm';
import { fail, shapeText } from './errors';
import { checkClassIds, type Loss, type LossTargets } from './losses/index';
import type { Targets } from './types';

/** Throws unless x is a non-empty [m, features] tensor of the model's dtype without NaN. */
export function checkInputs(x: unknown, features: number, dtype: DType, where: string, name = 'x'): Tensor {
  if (!(x instanceof Tensor)) fail('INVALID_ARGUMENT', `${where}: ${name} must be a Tensor [examples, ${features}], got ${describeValue(x)}${tensorHint(x)}`);
  if (x.shape.length !== 2 || x.shape[1] !== features) {
    fail('SHAPE_MISMATCH', `${where}: ${name} of shape ${shapeText(x.shape)} does not match the model's inputShape [${features}]; expected [examples, ${features}]`);
  }
  if (x.shape[0] === 0) fail('EMPTY_DATA', `${where}: ${name} of shape ${shapeText(x.shape)} holds no examples`);
  if (x.dtype !== dtype) fail('DTYPE_MISMATCH', `${where}: ${name} is ${x.dtype} but the model is ${dtype}; convert it with cast()`);
  checkFiniteValues(x, where, name);
  return x;
}

function checkFiniteValues(t: Tensor, where: string, name: string): void {
  // The kernel counts at memory speed; only data with a NaN or ±Inf is copied out to find where.
  if (countNonFinite(t) === 0) return;
  const v = t.toArray();
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      const cols = t.shape[1] ?? 1;
      fail('NON_FINITE', `${where}: ${name} has ${v[i]} at row ${Math.floor(i / cols)}, column ${i % cols}; expected finite numbers`);
    }
  }
}

/**
 * Validates targets for m examples and `outputs` model outputs: a [m, outputs] Tensor, or, for
 * softmax cross-entropy, m class ids in [0, outputs).
 */
export function checkTargets(y: unknown, loss: Loss, m: number, outputs: number, dtype: DType, where: string, name = 'y'): LossTargets {
  if (y instanceof Tensor) {
    if (y.shape.length !== 2 || y.shape[0] !== m || y.shape[1] !== outputs) {
      const what = loss.acceptsClassIds ? `one-hot rows [${m}, ${outputs}] or ${m} class ids` : `[${m}, ${outputs}]`;
      fail('SHAPE_MISMATCH', `${where}: ${name} of shape ${shapeText(y.shape)} does not fit ${m} examples and ${outputs} outputs; expected ${what}`);
    }
    if (y.dtype !== dtype) fail('DTYPE_MISMATCH', `${where}: ${name} is ${y.dtype} but the model is ${dtype}; convert it with cast()`);
    checkFiniteValues(y, where, name);
    return y;
  }
  const ids = y as Targets;
  if (ids !== null && typeof ids === 'object' && typeof (ids as ArrayLike<number>).length === 'number') {
    if (!loss.acceptsClassIds) {
      fail('INVALID_ARGUMENT', `${where}: ${loss.name} needs ${name} as a Tensor [${m}, ${outputs}], got an array of ${(ids as ArrayLike<number>).length} labels`);
    }
    return checkClassIds(ids as ArrayLike<number>, m, outputs, `${where}: ${name}`);
  }
  return fail('INVALID_ARGUMENT', `${where}: ${name} must be a Tensor or an array of class ids, got ${y === null ? 'null' : typeof y}`);
}
