import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous limits: the machine is shared, and child processes compile TypeScript with tsx.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
