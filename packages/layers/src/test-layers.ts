// Custom layers for this package's tests: a layer norm, a residual block, and a scale layer whose
// customGrad rule is deliberately wrong (gradCheck must catch it).
import { add, customGrad, div, matmul, mean, mul, relu, sqrt, square, sub, sum, type Tensor } from '@nnkit/tensor-wasm';
import { layer } from './custom-layer';

/** Layer normalization over the features of each row: (x − μ)/√(σ² + ε)·γ + β (σ² biased, as in PyTorch). */
export const layerNorm = layer({
  name: 'LayerNorm',
  build: ([n], ctx) => {
    ctx.addWeight('gamma', [n], { init: 'ones' });
    ctx.addWeight('beta', [n], { init: 'zeros' });
    return [n];
  },
  forward: (w, x, ctx) => {
    const mu = mean(x, 1, { keepDims: true });
    const centered = sub(x, mu);
    const variance = mean(square(centered), 1, { keepDims: true });
    const epsilon = (ctx.config.epsilon as number | undefined) ?? 1e-5;
    return add(mul(div(centered, sqrt(add(variance, epsilon))), w.gamma), w.beta);
  },
});

/** x + relu(x·W1 + b1)·W2 + b2; the output shape is left to be inferred. */
export const residualBlock = layer({
  name: 'Residual',
  build: ([n], ctx) => {
    ctx.addWeight('w1', [n, n], { init: 'he' });
    ctx.addWeight('b1', [n], { init: 'zeros' });
    ctx.addWeight('w2', [n, n], { init: 'he' });
    ctx.addWeight('b2', [n], { init: 'zeros' });
  },
  forward: (w, x) => add(x, add(matmul(relu(add(matmul(x, w.w1), w.b1)), w.w2), w.b2)),
});

/** x·g with a customGrad rule whose gradient for g is twice the true one. */
const wrongScale = customGrad((x: Tensor, g: Tensor) => ({
  value: mul(x, g),
  gradFunc: (dy: Tensor) => [mul(dy, g), mul(sum(mul(dy, x), 0), 2)],
}));

/** A scale layer with the wrong rule above. */
export const badScale = layer({
  name: 'BadScale',
  build: ([n], ctx) => {
    ctx.addWeight('g', [n], { init: 'ones' });
    return [n];
  },
  forward: (w, x) => wrongScale(x, w.g),
});
