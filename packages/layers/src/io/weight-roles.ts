// The Keras names of each layer's weights, in the order of nnkit's `liveWeights()` (which is
// TensorFlow.js's `getWeights()` order). Saving names weights `<layer>/<role>`, loading finds them
// by the same names, so both directions agree by construction.
import { BatchNorm } from '../batch-norm';
import { CustomLayer } from '../custom-layer';
import { Dense } from '../dense';
import type { Layer } from '../layer';

/** Dense weights: W [inputs, units], then b [units] when the layer has a bias. */
export const DENSE_ROLES = ['kernel', 'bias'] as const;
/** BatchNormalization weights: γ, β, then the running statistics. */
export const BATCH_NORM_ROLES = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;

/**
 * The roles of `layer.liveWeights()`, one per tensor.
 *
 * @param layer - a built layer
 * @returns e.g. ['kernel', 'bias']
 */
export function weightRoles(layer: Layer): readonly string[] {
  if (layer instanceof Dense) return layer.useBias ? DENSE_ROLES : DENSE_ROLES.slice(0, 1);
  if (layer instanceof BatchNorm) return BATCH_NORM_ROLES;
  if (layer instanceof CustomLayer) return layer.weightNames;
  return [];
}
