import { defineConfig } from 'vitest/config';
import { nodeProject } from '../../vitest.shared.ts';

// The browser tests drive Debian's Chromium through playwright-core from Node against the built
// page, so they run in the Node project; a page load and 90 % dev accuracy take a while on 2 cores,
// and longer beside another test task (each wait inside a test is bounded by test/browser.ts's HANG_MS).
export default defineConfig({
  test: {
    projects: [nodeProject(['test/**/*.test.ts', 'src/**/*.test.ts'])],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
