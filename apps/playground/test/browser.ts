// Debian's Chromium driven by playwright-core (no browser download), with a fresh, empty profile,
// and the page's console errors and uncaught exceptions collected for the tests to assert on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { preview } from 'vite';
import { serveStatic, type StaticServer } from './static-server';

/** Debian's Chromium, or the browser CHROMIUM_PATH names. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic',
];
/**
 * How long one wait for the page may take before it counts as a hang. Generous: these tests run
 * beside another test task on a 2-core CI machine, where the page is several times slower than on
 * an idle one (the MNIST test takes 15–20 s idle, most of it parsing the 20 MB digits chunk).
 */
export const HANG_MS = 120_000;
/** apps/playground. */
export const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The built site the tests serve: `vite build` output, written by scripts/build-if-stale.mjs. */
export const SITE = join(APP_ROOT, 'test-results', 'site');

/** The built page open in Chromium, and everything needed to tear it down. */
export interface OpenPage {
  page: Page;
  /** Console errors, page errors and failed requests, in order. */
  errors: string[];
  close(): Promise<void>;
}

/** The built site behind `vite preview` with the app's vite.config.ts (its headers included). */
async function servePreview(): Promise<StaticServer> {
  const server = await preview({ root: APP_ROOT, logLevel: 'silent', build: { outDir: SITE }, preview: { port: 0, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite preview gave no local URL');
  return { url, close: () => server.close() };
}

/**
 * Serves the built site and opens it in a new headless Chromium with an empty profile.
 *
 * @param opts - `preview: true` serves it with `vite preview` (cross-origin isolated by the app's
 *   config) instead of the plain static server
 * @returns the page, the errors it logs, and close() (browser, profile, server)
 */
export async function openPlayground(opts: { preview?: boolean } = {}): Promise<OpenPage> {
  const server: StaticServer = opts.preview ? await servePreview() : await serveStatic(SITE);
  const profile = mkdtempSync(join(tmpdir(), 'nnkit-playground-'));
  let context: BrowserContext | null = null;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH, args: ARGS, headless: true, viewport: { width: 1360, height: 1000 },
    });
    context.setDefaultTimeout(HANG_MS);
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    page.on('requestfailed', (r) => {
      // ERR_ABORTED is a request its page or worker gave up (a worker terminated mid-load), not a failure to serve it.
      const reason = r.failure()?.errorText ?? '';
      if (reason !== 'net::ERR_ABORTED') errors.push(`request failed: ${r.url()} ${reason}`);
    });
    await page.goto(server.url);
    const opened = context;
    return {
      page,
      errors,
      async close() {
        await opened.close();
        await server.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
