import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/docs/**/*.test.ts'],
        },
      },
      { test: { name: 'vectors', include: ['test/vectors/**/*.test.ts'] } },
      {
        // The HTML report in headless Chromium driven by playwright-core: the one that the
        // @sparticuz/chromium devDependency ships (Linux x64), CHROME_PATH or an installed one
        // (test/browser/find-chromium.ts); skipped with one line where none exists, except CI=true.
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'test/integration/**/*.test.ts',
            'test/cdk/**/*.test.ts',
            'test/reliability/**/*.test.ts',
            'test/fuzz/**/*.test.ts',
            'test/security/**/*.test.ts',
          ],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Real clock, real processes: fsa sandbox + the fsa binary (test/e2e/real-clock.test.ts).
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
