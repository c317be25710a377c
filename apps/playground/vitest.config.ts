import { defineConfig } from 'vitest/config';
import { nodeProject } from '../../vitest.shared.ts';

// The browser tests drive Debian's Chromium through playwright-core from Node against the built
// page, so they run in the Node project. They run one file at a time: each opens its own Chromium,
// and on 2 cores beside another test task three at once made the pages several times slower. A
// page load and 90 % dev accuracy take a while there, so the limits are generous (each wait inside
// a test is bounded by test/browser.ts's HANG_MS).
const project = nodeProject(['test/**/*.test.ts', 'src/**/*.test.ts']);

export default defineConfig({
  test: {
    // One retry: a page driven through a real browser on a loaded 2-core machine can miss a wait once;
    // a test that fails twice in a row fails the run.
    projects: [{ ...project, test: { ...project.test, testTimeout: 300_000, hookTimeout: 150_000, fileParallelism: false, retry: 1 } }],
  },
});
