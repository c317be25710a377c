// The CLI names RMSprop's ρ as @nnkit/optimizers does: --rho, i.e. rmsprop({ rho }).
import { init } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { buildOptimizer } from './optimizer';

beforeAll(() => init());

const base = { learningRate: 0.01, decay: 'none', decayEvery: 1, epochs: 1 } as const;

test("RMSprop takes rho; --beta stays momentum's β and Adam's β1", () => {
  expect((buildOptimizer({ ...base, optimizer: 'rmsprop', rho: 0.95 }) as unknown as { rho: number }).rho).toBe(0.95);
  expect((buildOptimizer({ ...base, optimizer: 'rmsprop', rho: 0.95, beta: 0.5 }) as unknown as { rho: number }).rho).toBe(0.95);
  // Scripts written for the old --beta still set ρ when --rho is absent.
  expect((buildOptimizer({ ...base, optimizer: 'rmsprop', beta: 0.8 }) as unknown as { rho: number }).rho).toBe(0.8);
  expect((buildOptimizer({ ...base, optimizer: 'adam', rho: 0.95, beta: 0.8 }) as unknown as { beta1: number }).beta1).toBe(0.8);
});
