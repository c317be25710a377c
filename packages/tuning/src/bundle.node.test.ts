// The main entry must bundle for browsers: no Node built-in may be imported statically.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('browser bundle', () => {
  it('bundles src/index.ts for the browser with Node modules only behind run-time imports', async () => {
    const require = createRequire(import.meta.url);
    const esbuild = createRequire(require.resolve('tsup'))('esbuild');
    const result = await esbuild.build({
      entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const code: string = result.outputFiles[0].text;
    expect(code).not.toMatch(/^import .* from ["']node:/m);
    expect(code).not.toMatch(/require\(["']node:/);
  });
});
