// Checks of user data against the model, run once per call of fit / evaluate / predict /
// trainStep and before anything changes: shapes, dtypes, NaN, labels in range, emptiness.
import { countNonFinite, describeValue, type DType, Tensor, tensorHint } from '@nnkit/tensor-wasm';
import { fail, shapeText } from './errors';
import { type Loss, type ReadTargets, readCustomTargets, readTargets } from './losses/index';

/** Throws unless x is a non-empty [m, features] tensor of the model's dtype without NaN. */
export function checkInputs(x: unknown, name: string, where: string, features: number, dtype: DType): Tensor {
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
 * Validates targets for m examples and `outputs` model outputs in any form the loss accepts (see
 * `readTargets`): class ids as an array or a Tensor [m] / [m, 1] for softmax cross-entropy, one-hot
 * or probability rows, and [m] / [m, 1] Tensors or arrays for one sigmoid or squared-error output.
 *
 * @param into - a buffer for a plain array's values (trainStep reuses one)
 * @returns the targets in kernel form, and a tensor made for them that the caller disposes
 */
export function checkTargets(
  y: unknown, loss: Loss, m: number, outputs: number, dtype: DType, where: string, name = 'y', into?: (rows: number) => Tensor,
): ReadTargets {
  if (loss.name === 'custom') return readCustomTargets(y, m, outputs, dtype, where, name, into);
  return readTargets(y, loss.name, m, outputs, dtype, where, name, into);
}
