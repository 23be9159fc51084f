import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI test spins two cores for a moment: do not run it beside the other files.
    fileParallelism: false,
    testTimeout: 180_000,
  },
});
