// Clearing subnormal numbers from state that decays geometrically (optimizer moments): see
// assembly/subnormal.ts for why they appear, stay, and cost so much.
import { activeTape, checkWritable } from './autodiff/tape';
import { kernels } from './backend';
import { checkTensor, offsetOf, type Tensor } from './tensor';

/**
 * Sets every subnormal entry of x (magnitude below 2^-126 in float32, 2^-1022 in float64), and −0,
 * to +0, in place; every other value, NaN and ±Inf included, stays as it is. WebAssembly has no
 * flush-to-zero mode, and x86 processors are about a hundred times slower on subnormal operands;
 * with round-to-nearest β·d rounds back to d for the smallest subnormal d, so an exponentially
 * decaying average whose input stays zero never leaves the subnormal range by itself. The
 * optimizers run this over their state every 64 updates.
 *
 * @returns x
 * @example
 * flushSubnormals(firstMoment);
 */
export function flushSubnormals(x: Tensor): Tensor {
  checkTensor(x, 'x', 'flushSubnormals()');
  if (activeTape !== null) checkWritable(x, 'flushSubnormals()');
  kernels(x.dtype).flush_subnormals(offsetOf(x), x.size);
  return x;
}
