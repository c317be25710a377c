import { defineConfig } from 'vitest/config';
import { chromiumProject, nodeProject } from '../../vitest.shared.ts';

// *.node.test.ts files use node: modules, so only the Node project runs them.
export default defineConfig({
  test: { projects: [nodeProject(), chromiumProject(['src/**/*.test.ts', '!src/**/*.node.test.ts'])] },
});
