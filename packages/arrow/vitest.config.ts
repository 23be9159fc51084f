import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Cross-process tests spawn writer and reader processes; on a loaded 2-core machine a child's
    // start-up alone can take seconds, so the default 5 s timeout fails correct tests.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
