// Runs every benchmark (*.bench.mjs) in this folder, each in its own process, gemm first.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort((a, b) => (a.startsWith('gemm') ? -1 : b.startsWith('gemm') ? 1 : a.localeCompare(b)));
console.log(`# nnkit benchmarks, ${new Date().toISOString().slice(0, 10)}`);
for (const file of files) execFileSync(process.execPath, [join(here, file)], { stdio: 'inherit' });
