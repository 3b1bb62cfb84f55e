import { defineConfig } from 'vitest/config';

// One run covers unit (next to the code), integration (test/, on SQLite and PostgreSQL) and browser tests. The
// browser stories run after the rest (sequence.groupOrder): on two cores, API tests running beside them starve the
// timing checks a browser story makes (a follower sees the change within a second), and the stories run one at a
// time for the same reason (each starts its own server and Chromium).
export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit-api', include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'], exclude: ['test/e2e/**', '**/node_modules/**'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['test/e2e/**/*.test.ts'], sequence: { groupOrder: 1 }, fileParallelism: false },
      },
    ],
  },
});
