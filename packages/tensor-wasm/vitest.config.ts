import { defineConfig } from 'vitest/config';
import { chromiumProject, nodeProject } from '../../vitest.shared.ts';

export default defineConfig({
  test: { projects: [nodeProject(), chromiumProject(['src/**/*.test.ts'])] },
});
