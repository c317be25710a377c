// A loss written with tensor ops, in Keras's argument order (yTrue, yPred). Its value comes from the
// function; its gradient with respect to the model's output comes from autodiff and enters the
// model's backward pass where a built-in loss's fused gradient would.
import { affine, countNonFinite, describeValue, type DType, scope, Tensor, tensor, tensorHint, valueAndGrad } from '@nnkit/tensor-wasm';
import { fail, shapeText } from '../errors';
import type { Loss, LossFunction, LossTargets } from './loss';
import type { ReadTargets } from './targets';

/** Returns `fn` as a Loss after checking that it is a function of (yTrue, yPred). */
export function customLoss(fn: LossFunction, where: string): Loss {
  // A function written inline in { loss: … } is named 'loss' by JavaScript: that name says nothing.
  const named = fn.name && fn.name !== 'loss' ? `'${fn.name}' ` : '';
  // fn.length counts the parameters before the first default or rest one: 0 may be (...args).
  if (fn.length === 1 || fn.length > 2) {
    fail('INVALID_ARGUMENT', `${where}: the loss function ${named}takes ${fn.length} argument${fn.length === 1 ? '' : 's'}; expected (yTrue, yPred) => scalar Tensor, in Keras's order`);
  }
  const label = `the loss function ${named}`.trimEnd();
  const call = (targets: Tensor, pred: Tensor): Tensor => {
    const value = fn(targets, pred);
    if (!(value instanceof Tensor)) fail('INVALID_ARGUMENT', `${label} returned ${describeValue(value)}${tensorHint(value)}; expected a scalar Tensor (e.g. mean(…))`);
    if (value.size !== 1) fail('INVALID_SHAPE', `${label} returned a Tensor of shape ${shapeText(value.shape)}; expected a scalar (one element): reduce it with mean() over the batch`);
    return value;
  };
  return {
    name: 'custom',
    acceptsClassIds: true,
    fn,
    compute(pred: Tensor, targets: LossTargets, grad?: Tensor): number {
      const yTrue = targets as Tensor;
      return scope(() => {
        if (!grad) return call(yTrue, pred).toArray()[0];
        const r = valueAndGrad((p: Tensor) => call(yTrue, p))(pred);
        affine(r.grad, 1, 0, { out: grad });
        return r.value.toArray()[0];
      });
    },
  };
}

/**
 * A custom loss's targets: a Tensor with m rows as given (one-hot rows, class ids, targets), of
 * the model's dtype; a plain array of m numbers becomes a Tensor [m, 1] for a model with one
 * output (so that it lines up with yPred [m, 1]) and [m] otherwise (class ids).
 */
export function readCustomTargets(y: unknown, m: number, outputs: number, dtype: DType, where: string, name: string, into?: (rows: number) => Tensor): ReadTargets {
  const label = `${where}: ${name}`;
  if (y instanceof Tensor) {
    if (y.isDisposed) fail('DISPOSED', `${label} (tensor #${y.id} of shape ${shapeText(y.shape)}) was used after dispose()`);
    if (y.shape.length < 1 || y.shape[0] !== m) fail('SHAPE_MISMATCH', `${label} of shape ${shapeText(y.shape)} does not have ${m} rows, one per example`);
    if (y.dtype !== dtype) fail('DTYPE_MISMATCH', `${label} is ${y.dtype} but the model is ${dtype}; convert it with cast(${name}, '${dtype}')`);
    if (countNonFinite(y) > 0) fail('NON_FINITE', `${label} holds NaN or ±Infinity; expected finite numbers`);
    return { targets: y, made: null };
  }
  if (y === null || typeof y !== 'object' || typeof (y as ArrayLike<number>).length !== 'number') {
    return fail('INVALID_ARGUMENT', `${label} must be a Tensor with ${m} rows or an array of ${m} numbers; got ${describeValue(y)}`);
  }
  const values = y as ArrayLike<number>;
  if (values.length !== m) fail('SHAPE_MISMATCH', `${label}: got ${values.length} targets for ${m} examples`);
  for (let i = 0; i < m; i++) {
    if (typeof values[i] !== 'number' || !Number.isFinite(values[i])) fail('NON_FINITE', `${label}[${i}] is ${describeValue(values[i])}; expected a finite number`);
  }
  if (outputs === 1 && into) return { targets: into(m).assign(values), made: null };
  const made = tensor(values, outputs === 1 ? [m, 1] : [m], dtype);
  return { targets: made, made };
}
