// Parameter structures: a Tensor, or arrays / plain objects of them (nested). Gradients mirror them.
import { describeValue, tensorHint } from '../describe-value';
import { NnkitError } from '../errors';
import { checkTensor, Tensor } from '../tensor';

/** A Tensor, or an array or plain object of such structures (e.g. a model's parameters). */
export type TensorTree = Tensor | readonly TensorTree[] | { readonly [key: string]: TensorTree };

/** The same structure with every Tensor replaced by its gradient. */
export type GradTree<T> = T extends Tensor ? Tensor : T extends object ? { -readonly [K in keyof T]: GradTree<T[K]> } : never;

/** The Tensors of `tree` in a fixed order (arrays by index, objects by key order). */
export function flattenTree(tree: unknown, where: string, path = 'x'): Tensor[] {
  if (tree instanceof Tensor) return [checkTensor(tree, path, where)];
  if (Array.isArray(tree)) return tree.flatMap((v, i) => flattenTree(v, where, `${path}[${i}]`));
  if (tree !== null && typeof tree === 'object' && Object.getPrototypeOf(tree) === Object.prototype) {
    return Object.entries(tree).flatMap(([k, v]) => flattenTree(v, where, `${path}.${k}`));
  }
  checkTensor(tree, path, where); // throws with the usual message (or the duplicate-copy one)
  throw new NnkitError('INVALID_ARGUMENT', `${where}: ${path} must be a Tensor, got ${describeValue(tree)}${tensorHint(tree)}`);
}

/** `tree` with its Tensors replaced, in `flattenTree`'s order, by `leaves`. */
export function unflattenTree(tree: unknown, leaves: readonly Tensor[]): unknown {
  let next = 0;
  const build = (t: unknown): unknown => {
    if (t instanceof Tensor) return leaves[next++];
    if (Array.isArray(t)) return t.map(build);
    return Object.fromEntries(Object.entries(t as object).map(([k, v]) => [k, build(v)]));
  };
  return build(tree);
}
