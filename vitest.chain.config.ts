import { defineConfig } from 'vitest/config';

// Tests that need anvil (*.chain.test.ts): each file starts its own node and deployment, so files
// run one after the other and timeouts are generous (the first run also compiles the contracts).
export default defineConfig({
  test: {
    include: ['**/*.chain.test.ts'],
    exclude: ['**/node_modules/**', 'out/**', 'dist/**'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
