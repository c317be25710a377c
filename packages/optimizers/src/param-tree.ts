// The JAX/Optax form of a step: the parameters as a structure (a Tensor, or arrays / plain objects of
// them, as `valueAndGrad` takes them) and the gradients as the same structure (as it returns them).
// Both are walked together into the `Param` list the fused step works on; every leaf is named by its
// path, so a mismatch says where (`grads.dense_1.kernel`) and what (both shapes).
import { describeValue, NnkitError, Tensor, tensorHint } from '@nnkit/tensor-wasm';
import type { Param } from './types';

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;
}

function keyPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Pairs `params` and `grads`, two structures of the same shape, into `{ value, grad, name }` entries in
 * a fixed order (arrays by index, objects by key order; the order `valueAndGrad` uses). The name is the
 * leaf's path below the root with its keys as they are (`dense_1.kernel`, `[0].w`, `dense_1/kernel`
 * for a top-level key of that name), absent for a bare Tensor. Throws NnkitError
 * naming the path when the structures, shapes or dtypes differ, or a tensor was disposed.
 *
 * @param params - the parameters: a Tensor, or an array or plain object of such structures
 * @param grads - their gradients, the same structure
 * @param where - the calling method, for messages
 * @returns one Param per leaf
 * @example
 * pairTrees({ w, b }, { w: dw, b: db }, 'adam.step()'); // [{ value: w, grad: dw, name: 'w' }, …]
 */
export function pairTrees(params: unknown, grads: unknown, where: string): Param[] {
  const out: Param[] = [];
  const mismatch = (path: string, detail: string): never => {
    throw new NnkitError('SHAPE_MISMATCH', `${where}: grads${path} ${detail}; grads must have the structure of params`);
  };
  // `path` is for messages (`.dense_1.kernel`, `["dense_1/kernel"]`); `name` names the leaf in the state,
  // with keys as they are, so a key such as 'dense_1/kernel' stays the name model.parameters() gives it.
  const walk = (p: unknown, g: unknown, path: string, name: string): void => {
    if (p instanceof Tensor) {
      if (!(g instanceof Tensor)) mismatch(path, `is ${describeValue(g)}; expected a Tensor of shape ${formatShape(p.shape)} like params${path}`);
      const grad = g as Tensor;
      for (const [side, t] of [['params', p], ['grads', grad]] as const) {
        if (t.isDisposed) throw new NnkitError('DISPOSED', `${where}: ${side}${path} (tensor #${t.id}, ${formatShape(t.shape)}) was disposed`);
      }
      if (grad.shape.length !== p.shape.length || grad.shape.some((d, i) => d !== p.shape[i])) {
        mismatch(path, `has shape ${formatShape(grad.shape)}; expected ${formatShape(p.shape)} like params${path}`);
      }
      if (grad.dtype !== p.dtype) {
        throw new NnkitError('DTYPE_MISMATCH', `${where}: grads${path} is ${grad.dtype}; expected ${p.dtype} like params${path}`);
      }
      out.push(name === '' ? { value: p, grad } : { value: p, grad, name });
      return;
    }
    if (Array.isArray(p)) {
      if (!Array.isArray(g)) mismatch(path, `is ${describeValue(g)}; expected ${describeValue(p)} like params${path}`);
      const ga = g as unknown[];
      if (ga.length !== p.length) mismatch(path, `has ${ga.length} entries; expected ${p.length} like params${path}`);
      for (let i = 0; i < p.length; i++) walk(p[i], ga[i], `${path}[${i}]`, `${name}[${i}]`);
      return;
    }
    if (isPlainObject(p)) {
      if (!isPlainObject(g)) mismatch(path, `is ${describeValue(g)}; expected ${describeValue(p)} like params${path}`);
      const go = g as Record<string, unknown>;
      const missing = Object.keys(p).find((k) => !Object.hasOwn(go, k));
      if (missing !== undefined) mismatch(keyPath(path, missing), `is missing; expected ${describeValue(p[missing])} like params${keyPath(path, missing)}`);
      const extra = Object.keys(go).find((k) => !Object.hasOwn(p, k));
      if (extra !== undefined) mismatch(keyPath(path, extra), `is not in params (params${path} has keys ${Object.keys(p).join(', ')})`);
      for (const k of Object.keys(p)) walk(p[k], go[k], keyPath(path, k), name === '' ? k : `${name}.${k}`);
      return;
    }
    throw new NnkitError(
      'INVALID_ARGUMENT',
      `${where}: params${path} must be a Tensor, or an array or plain object of Tensors, got ${describeValue(p)}${tensorHint(p)}`,
    );
  };
  walk(params, grads, '', '');
  return out;
}
