// Class predictions from a model's logits.
import type { Sequential } from '@nnkit/layers';
import type { Tensor } from '@nnkit/tensor-wasm';

/**
 * The predicted class of every row: logit > 0 for one output, the largest logit otherwise.
 * @param model - a built model
 * @param x - normalized inputs
 */
export function predictClasses(model: Sequential, x: Tensor): Int32Array {
  const logits = model.predict(x);
  const v = logits.toArray();
  const k = logits.shape[1];
  const m = logits.shape[0];
  logits.dispose();
  const out = new Int32Array(m);
  for (let r = 0; r < m; r++) {
    if (k === 1) {
      out[r] = v[r] > 0 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < k; c++) if (v[r * k + c] > v[r * k + best]) best = c;
    out[r] = best;
  }
  return out;
}
