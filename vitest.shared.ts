// Vitest settings every package shares: tests run against TypeScript sources (the `source` export
// condition), in Node and, for packages that opt in, in Debian's headless Chromium.
import { playwright } from '@vitest/browser-playwright';
import type { TestProjectInlineConfiguration } from 'vitest/config';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const sourceResolve = { conditions: ['source'] };

export function nodeProject(include = ['src/**/*.test.ts']): TestProjectInlineConfiguration {
  return {
    extends: true,
    resolve: sourceResolve,
    ssr: { resolve: { conditions: ['source'] } },
    test: { name: 'node', environment: 'node', include },
  };
}

export function chromiumProject(include = ['src/**/*.test.ts']): TestProjectInlineConfiguration {
  return {
    extends: true,
    resolve: sourceResolve,
    test: {
      name: 'chromium',
      include,
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({
          launchOptions: {
            executablePath: CHROMIUM_PATH,
            args: [
              '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
              '--disable-component-update', '--disable-sync', '--disable-quic',
            ],
          },
        }),
        instances: [{ browser: 'chromium' }],
      },
    },
  };
}
