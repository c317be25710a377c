import { defineConfig } from 'vitest/config';
import { chromiumProject, nodeProject } from '../../vitest.shared.ts';

// *.node.test.ts need Node (files, worker_threads, child processes); *.browser.test.ts need a page.
export default defineConfig({
  test: {
    projects: [
      nodeProject(['src/**/*.test.ts', '!src/**/*.browser.test.ts']),
      chromiumProject(['src/**/*.test.ts', '!src/**/*.node.test.ts']),
    ],
  },
});
