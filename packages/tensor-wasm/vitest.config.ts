import { defineConfig } from 'vitest/config';
import { chromiumProject, nodeProject } from '../../vitest.shared.ts';

const chromium = chromiumProject(['src/**/*.test.ts']);
// `*.node.test.ts` files need Node (the 4 GiB memory test): the browser project leaves them out.
chromium.test = { ...chromium.test, exclude: ['**/*.node.test.ts', '**/node_modules/**'] };

export default defineConfig({
  test: { projects: [nodeProject(), chromium] },
});
