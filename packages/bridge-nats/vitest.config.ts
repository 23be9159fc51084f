import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Cross-process tests spawn several Node processes on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 30_000,
    // Spinning readers in child processes compete for cores: run files one at a time.
    fileParallelism: false,
  },
});
