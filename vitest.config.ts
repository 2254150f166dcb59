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
        // The HTML report in headless Chromium (Debian's /usr/bin/chromium + playwright-core).
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
    ],
  },
});
