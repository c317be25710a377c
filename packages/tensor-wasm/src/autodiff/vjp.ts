// vjp: the forward pass now, the backward pass later with an incoming dy (JAX's vector-Jacobian
// product). A layer in the middle of a model runs its forward pass at one point of a training step
// and receives d loss / d output only after the layers above it have run theirs.
import { clone } from '../copy';
import { describeValue } from '../describe-value';
import { NnkitError } from '../errors';
import { checkTensor, nextTensorId, rootOf, type Tensor } from '../tensor';
import { captureCreated } from '../tracking';
import { runWithGrad } from './backprop';
import { distinctLeaves } from './grad';
import { flattenTree, type GradTree, type TensorTree, unflattenTree } from './structure';
import { activeTape, setActiveTape, Tape, type TapeEntry } from './tape';

/** What {@link vjp} returns: f's value and its backward pass, kept until `dispose()`. */
export interface VjpResult<T> {
  /**
   * f(x). The caller's to dispose; keep it alive until the last `backward` (rules may read it).
   * It is not freed by `dispose()`.
   */
  value: Tensor;
  /**
   * d (dy · f(x)) / d x: the gradient of every Tensor of x for an incoming `dy` (d loss / d f(x), of
   * f(x)'s shape and dtype), in x's structure. New tensors the caller owns; may be called again
   * with another dy until `dispose()`.
   */
  backward(dy: Tensor): GradTree<T>;
  /** Frees what f created for the backward pass (not `value`, not x). Calling it twice is harmless. */
  dispose(): void;
}

/**
 * Runs `f(x)` while recording, and returns its value with a backward pass to call later with an
 * incoming gradient (jax-js's and JAX's `vjp`). `x` is a Tensor or an array / plain object of Tensors
 * (the gradient mirrors it); a part of x that f(x) does not depend on gets zeros, as in `grad`.
 *
 * Every tensor f creates (and does not dispose itself) lives until `dispose()`, since the backward
 * rules may read any of them: a `customGrad` rule used inside f may read tensors its own function
 * made, as in `grad`.
 * Do not write into x or into what f computed (`out:`, `assign`) before `backward`.
 *
 * @param f - a function of Tensor ops returning a Tensor (of any shape)
 * @param x - its argument
 * @returns `{ value, backward(dy), dispose() }`
 * @example
 * const { value, backward, dispose } = vjp((p: { w: Tensor }) => matmul(x, p.w), { w });
 * const { w: dw } = backward(dy); // xᵀ·dy
 * dispose();
 */
export function vjp<T extends TensorTree>(f: (x: T) => Tensor, x: T): VjpResult<T> {
  const where = 'vjp()';
  if (typeof f !== 'function') throw new NnkitError('INVALID_ARGUMENT', `${where}: f must be a function, got ${describeValue(f)}`);
  if (activeTape !== null) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: called while a gradient is being taken; gradients of gradients are not supported yet`);
  }
  const leaves = flattenTree(x, where);
  const args = distinctLeaves(leaves);
  const arg = args === leaves ? x : (unflattenTree(x, args) as T);
  const firstId = nextTensorId(); // ids only grow: a larger id was made by f
  const made = (t: Tensor) => t.id >= firstId;
  // Every tensor f creates lives until dispose(): the recorded ops' inputs and outputs, and also
  // what a customGrad rule reads besides them (a tensor its own function made), which no tape sees.
  const { result: recorded, created: saved } = captureCreated(() => {
    const tape = new Tape(args, rootOf);
    const previous = setActiveTape(tape);
    let out: unknown;
    try {
      out = f(arg);
    } finally {
      setActiveTape(previous);
    }
    return { y: checkTensor(out, 'the result of f', where), entries: tape.entries.slice() };
  });
  const { y, entries } = recorded;
  // The value is the caller's: f's own result when it is a fresh tensor, else a copy of it (a view
  // or an argument must not be freed by dispose(), nor outlive what it views).
  const ownResult = made(y) && rootOf(y) === y;
  const value = ownResult ? y : clone(y);
  let disposed = false;
  return {
    value,
    backward(dy: Tensor): GradTree<T> {
      if (disposed) throw new NnkitError('DISPOSED', `${where}: backward() was called after dispose()`);
      checkTensor(dy, 'dy', `${where} backward`);
      // The recorded tape is replayed onto a fresh one, so that backprop's own pass (checks,
      // summing of fan-out, zeros for unused arguments, ownership of the results) runs unchanged.
      const { grads } = runWithGrad(`${where} backward`, args, () => replay(entries, y), dy, false);
      return unflattenTree(x, grads) as GradTree<T>;
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      for (const t of saved) if (t !== value && !t.isDisposed) t.dispose();
      entries.length = 0;
    },
  };
}

/** Records `entries` again on the active tape (in order; each is kept only if it still depends on an argument). */
function replay(entries: readonly TapeEntry[], y: Tensor): Tensor {
  checkTensor(y, 'the value of f', 'vjp() backward');
  for (const e of entries) activeTape?.record(e.op, e.output, e.inputs, e.backward);
  return y;
}
