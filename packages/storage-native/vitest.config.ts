import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Child processes start through tsx; generous limits keep a loaded 2-core CI from failing
    // tests that are correct (no test asserts timing).
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
