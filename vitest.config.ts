import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: every file starts a worker and a database; keep parallelism modest.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
