// Helpers for this package's tests: a minimal SGD that satisfies the optimizer interface without
// allocating, and array comparisons. Data sets come from @nnkit/data.
import { axpy } from '@nnkit/tensor-wasm';
import type { Optimizer } from './types';

/** Plain gradient descent w −= lr·g, in place and allocation-free. */
export function plainSgd(learningRate: number): Optimizer & { iterations: number } {
  return {
    learningRate,
    iterations: 0,
    step(params) {
      for (const p of params) axpy(-this.learningRate as number, p.grad, p.value);
      this.iterations++;
    },
  };
}

/** Largest |a − b| / max(1, |b|) over two arrays of the same length. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

/** Per tensor, the measure for gradients: max |g − ref| / max |ref| (lengths must match). */
export function relativeError(g: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (g.length !== ref.length) throw new Error(`length ${g.length} vs ${ref.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(g[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return diff / scale;
}
