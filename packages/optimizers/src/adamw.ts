// AdamW: Adam with weight decay decoupled from the gradient (Loshchilov & Hutter 2019).
import { Adam, type AdamOptions } from './adam';

/** Default λ of AdamW, as PyTorch's AdamW and Keras's AdamW. */
export const ADAMW_WEIGHT_DECAY = 1e-2;

/**
 * AdamW: w −= lr·λ·w, then the Adam step on the gradient alone, as PyTorch's AdamW (the decay is
 * scaled by the learning rate, so a schedule decays it too). Same defaults as {@link adam}, with
 * `weightDecay` 1e-2.
 *
 * @param options - as {@link adam}; `weightDecay` defaults to {@link ADAMW_WEIGHT_DECAY}
 * @returns an optimizer keeping two moment tensors per parameter
 * @example
 * const opt = adamw({ learningRate: 1e-3, weightDecay: 0.05 });
 */
export function adamw(options: AdamOptions = {}): Adam {
  return new Adam(options, true, ADAMW_WEIGHT_DECAY);
}
