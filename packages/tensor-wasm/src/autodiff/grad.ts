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
  return (x, dy) => valueAndGradOf('grad()', f, x, dy).grad as GradTree<T>;
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
  return (xs, dy) => valueAndGradsOf('grads()', f, xs, dy).grads;
}

/** Like `grads`, also returning f(...xs). */
export function valueAndGrads(f: (...xs: Tensor[]) => Tensor): (xs: readonly Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  checkFunction(f, 'valueAndGrads()');
  return (xs, dy) => valueAndGradsOf('valueAndGrads()', f, xs, dy);
}

function valueAndGradOf<T>(where: string, f: (x: T) => Tensor, x: T, dy: Tensor | undefined): { value: Tensor; grad: unknown } {
  const leaves = flattenTree(x, where);
  const distinct = distinctLeaves(leaves);
  const arg = distinct === leaves ? x : (unflattenTree(x, distinct) as T);
  const { value, grads: gs } = runWithGrad(where, distinct, () => f(arg), dy);
  return { value, grad: unflattenTree(x, gs) };
}

function valueAndGradsOf(where: string, f: (...xs: Tensor[]) => Tensor, xs: readonly Tensor[], dy: Tensor | undefined): { value: Tensor; grads: Tensor[] } {
  if (!Array.isArray(xs)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: xs must be an array of Tensors (the arguments of f), got ${typeof xs}`);
  }
  const leaves = distinctLeaves(xs.map((t, i) => flattenTree(t, where, `xs[${i}]`)[0]));
  return runWithGrad(where, leaves, () => f(...leaves), dy);
}

/**
 * A tensor passed twice is two arguments with a gradient each (as in JAX): the repeats become views,
 * so that the tape tells them apart. Unrepeated arguments stay themselves (f may also close over them).
 */
function distinctLeaves(leaves: Tensor[]): Tensor[] {
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
