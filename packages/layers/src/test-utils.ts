// Helpers for this package's tests: 2-D data sets of the course's experiments, a minimal SGD that
// satisfies the optimizer interface without allocating, and array comparisons.
import { axpy, createRng, portableCos, portableSin, type Tensor, tensor } from '@nnkit/tensor-wasm';
import type { Optimizer } from './types';

/** Two interleaving half circles (scikit-learn's make_moons), labels 0/1, Gaussian noise. */
export function moons(n: number, noise: number, seed: number): { x: Tensor; labels: Int32Array; y: Tensor } {
  const rng = createRng(seed);
  const xs = new Float64Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = Math.PI * rng.uniform();
    xs[2 * i] = (c === 0 ? portableCos(t) : 1 - portableCos(t)) + noise * rng.normal();
    xs[2 * i + 1] = (c === 0 ? portableSin(t) : 0.5 - portableSin(t)) + noise * rng.normal();
    labels[i] = c;
  }
  return { x: tensor(xs, [n, 2]), labels, y: tensor(Float32Array.from(labels), [n, 1]) };
}

/** Two concentric circles (scikit-learn's make_circles), inner radius `factor`, labels 0 outer / 1 inner. */
export function circles(n: number, noise: number, factor: number, seed: number): { x: Tensor; labels: Int32Array; y: Tensor } {
  const rng = createRng(seed);
  const xs = new Float64Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = 2 * Math.PI * rng.uniform();
    const r = c === 0 ? 1 : factor;
    xs[2 * i] = r * portableCos(t) + noise * rng.normal();
    xs[2 * i + 1] = r * portableSin(t) + noise * rng.normal();
    labels[i] = c;
  }
  return { x: tensor(xs, [n, 2]), labels, y: tensor(Float32Array.from(labels), [n, 1]) };
}

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
