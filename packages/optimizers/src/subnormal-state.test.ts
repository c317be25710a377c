// Optimizer state is cleared of subnormal numbers every FLUSH_SUBNORMALS_EVERY updates.
import { init, tensor, zeros } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { adam } from './adam';
import { FLUSH_SUBNORMALS_EVERY } from './fused-optimizer';
import { momentum } from './momentum';
import { rmsprop } from './rmsprop';

beforeAll(async () => {
  await init();
});

// The smallest float32 subnormal, 2^-149: with round-to-nearest, β·d = d for every β > 1/2.
const D = 2 ** -149;

test.each([
  ['adam', () => adam({ learningRate: 1e-3 })],
  ['momentum', () => momentum({ learningRate: 1e-3 })],
  ['rmsprop', () => rmsprop({ learningRate: 1e-3, centered: true })],
] as const)('%s: a slot stuck on a subnormal under zero gradients is zero after update %i', (_, make) => {
  const param = { name: 'w', value: tensor([0.5, -0.25], [2]), grad: zeros([2]) };
  const first = make();
  first.step([param]);
  // Every slot of the first parameter set to [d, 1]: d stays d under decay, 1 decays normally.
  const state = first.getState();
  for (const name of Object.keys(state.slots[0].values)) state.slots[0].values[name] = Float32Array.of(D, 1);
  state.iterations = 0;
  const opt = make();
  opt.setState(state);
  for (let t = 1; t < FLUSH_SUBNORMALS_EVERY; t++) opt.step([param]);
  for (const values of Object.values(opt.getState().slots[0].values)) expect(values[0]).toBe(D);
  opt.step([param]);
  for (const values of Object.values(opt.getState().slots[0].values)) {
    expect(values[0]).toBe(0);
    expect(values[1]).toBeGreaterThan(1e-3); // β^64 ≥ 0.9^64 ≈ 1.2e-3: normal values are kept
  }
});
