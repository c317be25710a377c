// Runs one ES module in headless Chromium as a page would: bundled by esbuild for the browser with
// no flags beyond the bundle itself, served from 127.0.0.1, and its console and errors collected.
// Debian's Chromium (or CHROMIUM_PATH) driven by playwright-core; no browser is downloaded.
import { createReadStream, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, extname, join, normalize } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

/** Serves `dir` on 127.0.0.1 at a free port; resolves to { url, close }. */
function serve(dir) {
  const server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!path.startsWith(dir) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    createReadStream(path).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() }));
  });
}

/**
 * Bundles `dir/file` for the browser and runs it in a page until it settles.
 *
 * @returns { ok, output }: ok when the bundle built and the module finished without an error;
 *   output holds the bundler's errors or the page's console lines and errors
 */
export async function runInChromium(dir, file, timeoutMs) {
  const name = basename(file, extname(file));
  // The page records how the module settled, so a rejected top-level await is seen as a failure.
  const entry = join(dir, `${name}.page.mjs`);
  writeFileSync(entry, `import('./${file}').then(() => { window.__example = 'ok'; }, (e) => { window.__example = String(e && e.stack ? e.stack : e); });\n`);
  try {
    await build({ entryPoints: [entry], absWorkingDir: dir, bundle: true, splitting: true, format: 'esm', platform: 'browser', outdir: join(dir, `${name}.bundle`), logLevel: 'silent' });
  } catch (e) {
    return { ok: false, output: `esbuild --bundle --platform=browser failed:\n${(e.errors ?? [e]).map((m) => m.text ?? String(m)).join('\n')}` };
  }
  writeFileSync(join(dir, `${name}.html`), `<!doctype html><script type="module" src="./${name}.bundle/${name}.page.js"></script>\n`);

  const server = await serve(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
  const lines = [];
  try {
    const page = await browser.newPage();
    page.on('console', (m) => lines.push(m.type() === 'log' ? m.text() : `${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => lines.push(`page error: ${e.message}`));
    await page.goto(`${server.url}${name}.html`);
    await page.waitForFunction(() => window.__example !== undefined, null, { timeout: timeoutMs });
    const settled = await page.evaluate(() => window.__example);
    if (settled !== 'ok') lines.push(settled);
    return { ok: settled === 'ok', output: lines.join('\n') };
  } catch (e) {
    return { ok: false, output: `${lines.join('\n')}\n${e.message}` };
  } finally {
    await browser.close();
    server.close();
  }
}
