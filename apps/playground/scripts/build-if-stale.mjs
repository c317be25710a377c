// Builds the page for the browser tests when their copy is missing or older than anything it is
// built from (this app's sources and the nnkit packages' sources), so `pnpm test` never tests a
// stale page. The tests get their own output folder, test-results/site/, built with the same
// config as dist/: the root pipeline may run this package's `build` and `test` at the same time,
// and two builds emptying one dist/ under each other would make the tests flaky.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const SITE = join(app, 'test-results', 'site');
const built = join(SITE, 'index.html');
const sources = [
  join(app, 'src'), join(app, 'index.html'), join(app, 'vite.config.ts'), join(app, 'package.json'),
  ...['tensor-wasm', 'layers', 'optimizers', 'regularizers', 'data', 'metrics', 'tuning'].map((p) => join(app, '..', '..', 'packages', p, 'src')),
];

/** Latest modification time under `path` (a file or a directory tree). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((t, name) => Math.max(t, newest(join(path, name))), stat.mtimeMs);
}

const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
const stale = sources.find((s) => newest(s) > builtAt);
if (stale) {
  console.log(`playground: building the site under test (${builtAt === 0 ? 'missing' : `older than ${stale}`})`);
  // Vite's own entry, so this works outside `pnpm run` too (where node_modules/.bin is not on PATH).
  const vite = join(app, 'node_modules', 'vite', 'bin', 'vite.js');
  execSync(`"${process.execPath}" "${vite}" build --logLevel warn --outDir "${SITE}"`, { cwd: app, stdio: 'inherit' });
}
