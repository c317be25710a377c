// grad, grads, valueAndGrad, valueAndGrads: TensorFlow.js's names and argument forms, JAX's rule that
// the argument may be a structure of Tensors (the gradient mirrors it).
import { NnkitError } from '../errors';
import type { Tensor } from '../tensor';
import { runWithGrad } from './backprop';
import { stopGradient } from './custom-grad';
import { flattenTree, type GradTree, type TensorTree, unflattenTree } from './structure';

/**
 * The gradient function of `f`: `grad(f)(x)` is d f(x) / d x, of x's shape (or x's structure when x
 * is an array or object of Tensors). `f` must return a scalar unless `dy` (d loss / d f(x), of f(x)'s
 * shape) is given. The result is the caller's; every intermediate is freed.
 * @example
 * const dx = grad((x: Tensor) => sum(square(x)))(x); // 2x
 */
export function grad<T extends TensorTree>(f: (x: T) => Tensor): (x: T, dy?: Tensor) => GradTree<T> {
  checkFunction(f, 'grad()');
  return (x, dy) => gradOf('grad()', f, x, dy) as GradTree<T>;
}

/**
 * Like `grad`, also returning f(x).
 * @example
 * const { value, grad: g } = valueAndGrad((p: { w: Tensor }) => sum(square(p.w)))({ w });
 */
export function valueAndGrad<T extends TensorTree>(f: (x: T) => Tensor): (x: T, dy?: Tensor) => { value: Tensor; grad: GradTree<T> } {
  checkFunction(f, 'valueAndGrad()');
  return (x, dy) => valueAndGradOf('valueAndGrad()', f, x, dy) as { value: Tensor; grad: GradTree<T> };
}

/**
 * The gradients of `f` with respect to each of its Tensor arguments: `grads(f)([a, b])` calls
 * `f(a, b)` and returns `[df/da, df/db]`.
 */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: readonly Tensor[], dy?: Tensor) => Tensor[] {
  checkFunction(f, 'grads()');
  return (xs, dy) => {
    const leaves = argumentsOf('grads()', xs);
    return runWithGrad('grads()', leaves, () => f(...leaves), dy, false).grads;
  };
}

/** Like `grads`, also returning f(...xs). */
export function valueAndGrads(f: (...xs: Tensor[]) => Tensor): (xs: readonly Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  checkFunction(f, 'valueAndGrads()');
  return (xs, dy) => valueAndGradsOf('valueAndGrads()', f, xs, dy);
}

function valueAndGradOf<T>(where: string, f: (x: T) => Tensor, x: T, dy: Tensor | undefined): { value: Tensor; grad: unknown } {
  const { args, arg } = argumentOf(where, x);
  const { value, grads: gs } = runWithGrad(where, args, () => f(arg), dy);
  return { value, grad: unflattenTree(x, gs) };
}

/** `grad`'s pass: like valueAndGradOf, without keeping f(x). */
function gradOf<T>(where: string, f: (x: T) => Tensor, x: T, dy: Tensor | undefined): unknown {
  const { args, arg } = argumentOf(where, x);
  return unflattenTree(x, runWithGrad(where, args, () => f(arg), dy, false).grads);
}

/** The distinct leaves of a Tensor tree, and the tree rebuilt from them when some were repeated. */
function argumentOf<T>(where: string, x: T): { args: Tensor[]; arg: T } {
  const leaves = flattenTree(x, where);
  const args = distinctLeaves(leaves);
  return { args, arg: args === leaves ? x : (unflattenTree(x, args) as T) };
}

function valueAndGradsOf(where: string, f: (...xs: Tensor[]) => Tensor, xs: readonly Tensor[], dy: Tensor | undefined): { value: Tensor; grads: Tensor[] } {
  const leaves = argumentsOf(where, xs);
  return runWithGrad(where, leaves, () => f(...leaves), dy);
}

/** The Tensors of `grads`' argument list, distinct (see distinctLeaves). */
function argumentsOf(where: string, xs: readonly Tensor[]): Tensor[] {
  if (!Array.isArray(xs)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: xs must be an array of Tensors (the arguments of f), got ${typeof xs}`);
  }
  return distinctLeaves(xs.map((t, i) => flattenTree(t, where, `xs[${i}]`)[0]));
}

/**
 * A tensor passed twice is two arguments with a gradient each (as in JAX): the repeats become views,
 * so that the tape tells them apart. Unrepeated arguments stay themselves (f may also close over them).
 */
export function distinctLeaves(leaves: Tensor[]): Tensor[] {
  if (new Set(leaves).size === leaves.length) return leaves;
  const seen = new Set<Tensor>();
  return leaves.map((t) => {
    if (!seen.has(t)) {
      seen.add(t);
      return t;
    }
    return stopGradient(t); // a fresh view, not recorded as depending on t
  });
}

function checkFunction(f: unknown, where: string): void {
  if (typeof f !== 'function') throw new NnkitError('INVALID_ARGUMENT', `${where}: f must be a function, got ${typeof f}`);
}
