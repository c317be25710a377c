// The one place where @nnkit/layers meets the fused training kernels of tensor-wasm: dense forward
// with bias and activation in one pass, activation backward with the bias gradient in the same
// pass, softmax/sigmoid cross-entropy from logits (loss and gradient in one pass), axpy, and Σx²
// for gradient norms. Layers import these names from here only, so a kernel can be swapped or
// worked around in one file.
export {
  activationBackward, axpy, denseForward, sigmoidCrossEntropyWithLogits, softmaxCrossEntropyWithLogits, sumSquares as sumOfSquares,
} from '@nnkit/tensor-wasm';
export type { FusedActivation } from '@nnkit/tensor-wasm';
