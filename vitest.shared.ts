// Vitest settings every package shares: tests run against TypeScript sources (the `source` export
// condition), in Node and, for packages that opt in, in Debian's headless Chromium.
import { playwright } from '@vitest/browser-playwright';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import type { BrowserCommand } from 'vitest/node';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const sourceResolve = { conditions: ['source'] };

/** Generous limits: CI runs two packages' suites at once on two cores, and timing is never asserted. */
const TIMEOUTS = { testTimeout: 120_000, hookTimeout: 60_000 };

/**
 * A browser command that runs `exportName()` of a module in Node (through the project's own Vite
 * module runner) and returns its JSON-able result, so a browser test can compare its numbers with
 * Node's for bit-identity.
 */
const runInNode: BrowserCommand<[modulePath: string, exportName: string]> = async (ctx, modulePath, exportName) => {
  const mod = await ctx.project.import<Record<string, () => unknown>>(modulePath);
  return await mod[exportName]();
};

export function nodeProject(include = ['src/**/*.test.ts']): TestProjectInlineConfiguration {
  return {
    extends: true,
    resolve: sourceResolve,
    ssr: { resolve: { conditions: ['source'] } },
    test: { name: 'node', environment: 'node', include, exclude: ['**/*.browser.test.ts', '**/node_modules/**'], ...TIMEOUTS },
  };
}

export function chromiumProject(include = ['src/**/*.test.ts']): TestProjectInlineConfiguration {
  return {
    extends: true,
    resolve: sourceResolve,
    test: {
      name: 'chromium',
      include,
      ...TIMEOUTS,
      browser: {
        enabled: true,
        commands: { runInNode },
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
