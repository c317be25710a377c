// The worker pool never keeps a Node process alive: a script that trains on two threads and returns
// ends by itself. Run in a child process (bundled from the sources with the esbuild that tsup uses).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const require = createRequire(import.meta.url);
// esbuild is tsup's dependency, not ours: reached through tsup, typed by the one call used.
const esbuild = createRequire(require.resolve('tsup'))('esbuild') as { build(options: Record<string, unknown>): Promise<unknown> };
const index = fileURLToPath(new URL('./index.ts', import.meta.url));

test('a process whose kernels ran on two threads exits when its work is done', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-pool-exit-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { backendInfo, init, matmul, randn } from ${JSON.stringify(index)};
await init({ threads: 2 });
const c = matmul(randn([256, 128], { seed: 1 }), randn([128, 96], { seed: 2 }));
console.log(backendInfo().threads, c.shape.join('x'));
`,
    );
    const out = join(dir, 'run.mjs');
    await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', conditions: ['node'], outfile: out, logLevel: 'silent' });
    const result = await new Promise<{ code: number | null; stdout: string; killed: boolean }>((resolve) => {
      const child = execFile(process.execPath, [out], { timeout: 30_000 }, (error, stdout) =>
        resolve({ code: child.exitCode, stdout, killed: error?.killed === true }),
      );
    });
    expect(result.killed, 'the process was still running after 30 s').toBe(false);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('2 256x96');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
