// The backward pass over a recorded tape, and the run that records it.
import { clone, fill } from '../copy';
import { add } from '../elementwise';
import { NnkitError } from '../errors';
import { formatShape, sameShape } from '../shape';
import { checkTensor, emptyTensor, nextTensorId, rootOf, type Tensor } from '../tensor';
import { scope } from '../tracking';
import { activeTape, setActiveTape, Tape } from './tape';

/** The value of f (null when not asked for) and the gradient of each argument, all owned by the caller. */
export interface ValueAndGrads<V extends Tensor | null = Tensor> {
  value: V;
  grads: Tensor[];
}

/**
 * Calls `call()` (which applies f to `args`) while recording, then runs the backward pass from its
 * result. Every intermediate is freed; `value` (a copy of f's result, only when `withValue`) and
 * `grads` are new tensors.
 */
export function runWithGrad(where: string, args: readonly Tensor[], call: () => unknown, dy: Tensor | undefined, withValue: false): ValueAndGrads<null>;
export function runWithGrad(where: string, args: readonly Tensor[], call: () => unknown, dy: Tensor | undefined, withValue?: true): ValueAndGrads;
export function runWithGrad(where: string, args: readonly Tensor[], call: () => unknown, dy: Tensor | undefined, withValue = true): ValueAndGrads<Tensor | null> {
  if (dy !== undefined) checkTensor(dy, 'dy', where);
  if (activeTape !== null) {
    // A gradient of a gradient would need the backward ops recorded too: not supported yet.
    throw new NnkitError('INVALID_ARGUMENT', `${where}: called while another gradient is being taken; gradients of gradients are not supported yet`);
  }
  const firstId = nextTensorId(); // ids only grow: a larger id was made during this call
  return scope(() => {
    const tape = new Tape(args, rootOf);
    const previous = setActiveTape(tape);
    let y: unknown;
    try {
      y = call();
    } finally {
      setActiveTape(previous);
    }
    const result = checkResult(y, where, dy);
    const seed = dy ?? fill(emptyTensor(result.shape, result.dtype, where), 1);
    const grads = backward(tape, result, seed, args);
    // A gradient may be a view, the caller's dy, an argument, or shared by two arguments: copy those.
    const owned = new Set<Tensor>();
    const own = (g: Tensor): Tensor => {
      const r = g.id >= firstId && rootOf(g) === g && !owned.has(g) ? g : clone(g);
      owned.add(r);
      return r;
    };
    return { value: withValue ? clone(result) : null, grads: grads.map(own) };
  });
}

function checkResult(y: unknown, where: string, dy: Tensor | undefined): Tensor {
  const t = checkTensor(y, 'the result of f', where);
  if (dy === undefined && t.size !== 1) {
    throw new NnkitError(
      'INVALID_SHAPE',
      `${where}: f must return a scalar (one element), got shape ${formatShape(t.shape)}; reduce it with sum() or mean(), or pass dy`,
    );
  }
  if (dy !== undefined && (!sameShape(dy.shape, t.shape) || dy.dtype !== t.dtype)) {
    throw new NnkitError('SHAPE_MISMATCH', `${where}: dy has shape ${formatShape(dy.shape)} ${dy.dtype}; f returned ${formatShape(t.shape)} ${t.dtype}`);
  }
  return t;
}

/** Walks the tape backwards from `y`, summing the gradients of tensors used more than once. */
function backward(tape: Tape, y: Tensor, seed: Tensor, args: readonly Tensor[]): Tensor[] {
  const gradOf = new Map<Tensor, Tensor>();
  // Sums made here that nothing else refers to yet: a third contribution is added into them in
  // place. A sum stops being one once a rule receives it (rules may pass dy on, or view it).
  const ownSums = new Set<Tensor>();
  gradOf.set(y, seed);
  for (let e = tape.entries.length - 1; e >= 0; e--) {
    const entry = tape.entries[e];
    const dy = gradOf.get(entry.output);
    if (dy === undefined) continue;
    ownSums.delete(dy);
    const needs = entry.inputs.map((t) => tape.watched.has(t));
    const dxs = entry.backward(dy, needs);
    for (let i = 0; i < entry.inputs.length; i++) {
      const dx = dxs[i];
      if (!needs[i] || dx === null || dx === undefined) continue;
      const input = entry.inputs[i];
      const previous = gradOf.get(input);
      if (previous === undefined) gradOf.set(input, dx);
      else if (ownSums.has(previous) && sameShape(previous.shape, dx.shape)) add(previous, dx, { out: previous });
      else {
        const total = add(previous, dx);
        ownSums.add(total);
        gradOf.set(input, total);
      }
    }
  }
  // An argument f does not depend on gets zeros, as JAX does.
  return args.map((x) => {
    const g = gradOf.get(x);
    if (g === undefined) return fill(emptyTensor(x.shape, x.dtype, 'grad()'), 0);
    return sameShape(g.shape, x.shape) ? g : g.reshape(x.shape);
  });
}
