// customGrad and stopGradient: a user's own backward rule, and a value no gradient flows through.
import { describeValue } from '../describe-value';
import { NnkitError } from '../errors';
import { formatShape, sameShape } from '../shape';
import { checkTensor, Tensor } from '../tensor';
import { activeTape, recordOp, setActiveTape } from './tape';

/** What the function given to `customGrad` returns: its value and the rule for its gradient. */
export interface CustomGradResult {
  value: Tensor;
  /** d loss / d each input, from d loss / d value; one Tensor per input, of that input's shape. */
  gradFunc: (dy: Tensor) => Tensor | Tensor[];
}

/**
 * An op with a user-defined backward rule (TensorFlow.js's `tf.customGrad`). The ops inside `f` are
 * not recorded: `gradFunc` alone gives the gradients.
 * @example
 * const clipGrad = customGrad((x: Tensor) => ({ value: clone(x), gradFunc: (dy) => [minimum(maximum(dy, -1), 1)] }));
 */
export function customGrad(f: (...xs: Tensor[]) => CustomGradResult): (...xs: Tensor[]) => Tensor {
  if (typeof f !== 'function') throw new NnkitError('INVALID_ARGUMENT', `customGrad(): f must be a function, got ${typeof f}`);
  return (...xs) => {
    for (let i = 0; i < xs.length; i++) checkTensor(xs[i], `input ${i}`, 'customGrad()');
    const previous = setActiveTape(null);
    let result: CustomGradResult;
    try {
      result = f(...xs);
    } finally {
      setActiveTape(previous);
    }
    if (result === null || typeof result !== 'object' || typeof result.gradFunc !== 'function') {
      throw new NnkitError('INVALID_ARGUMENT', `customGrad(): f must return { value, gradFunc }, got ${describeValue(result)}`);
    }
    // The recorded output must be a tensor of its own, even when f returns one of its inputs.
    let value = checkTensor(result.value, 'value', 'customGrad()');
    if (xs.includes(value)) value = stopGradient(value);
    if (activeTape !== null) {
      const { gradFunc } = result;
      recordOp('customGrad()', value, xs, (dy) => checkGrads(gradFunc(dy), xs));
    }
    return value;
  };
}

function checkGrads(gs: Tensor | Tensor[], xs: readonly Tensor[]): Tensor[] {
  const list = gs instanceof Tensor && xs.length === 1 ? [gs] : gs;
  const shapes = xs.map((x) => formatShape(x.shape)).join(', ');
  if (!Array.isArray(list) || list.length !== xs.length) {
    throw new NnkitError(
      'INVALID_ARGUMENT',
      `customGrad(): gradFunc returned ${describeValue(gs)}; expected ${xs.length} Tensor${xs.length === 1 ? '' : 's'}, of shapes ${shapes}`,
    );
  }
  list.forEach((g, i) => {
    checkTensor(g, `gradient ${i} of gradFunc`, 'customGrad()');
    if (!sameShape(g.shape, xs[i].shape) || g.dtype !== xs[i].dtype) {
      throw new NnkitError(
        g.dtype === xs[i].dtype ? 'SHAPE_MISMATCH' : 'DTYPE_MISMATCH',
        `customGrad(): gradFunc's gradient ${i} has shape ${formatShape(g.shape)} ${g.dtype}; its input has ${formatShape(xs[i].shape)} ${xs[i].dtype}`,
      );
    }
  });
  return list;
}

/**
 * The same values as `x`, through which no gradient flows (a view: no copy).
 * @example
 * const target = stopGradient(mul(y, 2)); // treated as a constant by grad()
 */
export function stopGradient(x: Tensor): Tensor {
  checkTensor(x, 'x', 'stopGradient()');
  const previous = setActiveTape(null);
  try {
    return x.reshape(x.shape);
  } finally {
    setActiveTape(previous);
  }
}
