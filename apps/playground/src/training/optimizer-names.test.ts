// The page names RMSprop's ρ as @nnkit/optimizers does (`rho`), apart from Adam's β2.
import { init } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { resolveConfig } from './config';
import { buildOptimizer } from './model';

beforeAll(() => init());

test("RMSprop takes the config's rho; Adam's beta2 is Adam's alone", () => {
  const rms = buildOptimizer(resolveConfig({ optimizer: 'rmsprop', rho: 0.95, beta2: 0.9999 } as never)) as unknown as { rho: number };
  expect(rms.rho).toBe(0.95);
  const adamOpt = buildOptimizer(resolveConfig({ optimizer: 'adam', rho: 0.95, beta2: 0.9999 } as never)) as unknown as { beta2: number };
  expect(adamOpt.beta2).toBe(0.9999);
  expect(() => resolveConfig({ rho: 1.5 } as never)).toThrow(/rho/);
});
