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
    // expect.poll waits for what a person would see happen (a live update, a projection): 1 s, vitest's
    // default, measured flaky at load 20; a condition that never comes still fails, after 15 s.
    expect: { poll: { timeout: 15_000 } },
  },
});
