// Serves a bundle on 127.0.0.1 and runs its page in headless Chromium, recording every byte the
// page loads (gzipped, as a server would send it).
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Training 480 points for 60 epochs takes well under a second; this only stops a hung page. */
const PAGE_TIMEOUT_MS = 120_000;
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

/**
 * A static file server for one folder on a free port of 127.0.0.1.
 *
 * @param root - the folder
 * @returns its base URL and a close function
 */
export async function serve(root) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** @returns a headless Chromium, Debian's */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Opens a bundle's page, waits for the app's result and measures what the page loaded.
 *
 * @param browser - from {@link launchChromium}
 * @param root - the bundle's folder
 * @returns the app's result, page errors, and the files loaded with their gzipped sizes
 */
export async function runPage(browser, root) {
  const { url, close } = await serve(root);
  const page = await browser.newPage();
  const errors = [];
  const loaded = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('requestfinished', (req) => {
    const path = new URL(req.url()).pathname;
    if (req.url().startsWith(url)) loaded.push(path);
  });
  try {
    // An uncaught error (a chunk that fails to load, a throw at import) ends the wait at once.
    const crashed = new Promise((_, reject) => page.once('pageerror', reject));
    crashed.catch(() => {});
    await page.goto(url);
    await Promise.race([page.waitForFunction(() => window.nnkitResult !== undefined, null, { timeout: PAGE_TIMEOUT_MS }), crashed]);
    const result = await page.evaluate(() => window.nnkitResult);
    const files = [];
    for (const path of loaded) {
      const bytes = await readFile(join(root, path.endsWith('/') ? `${path}index.html` : path));
      files.push({ path, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
    }
    return { result, errors, files };
  } finally {
    await page.close();
    await close();
  }
}
