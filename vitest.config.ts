import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code; tests that need anvil are named *.chain.test.ts and run in
// their own project so `npm run test:unit` stays fast.
// Component tests (src/renderer/**/*.test.tsx) start with `// @vitest-environment happy-dom`:
// per file, so every other unit test keeps the plain Node environment (vitest 5 has no
// environmentMatchGlobs; a second project would be the alternative).
export default defineConfig({
  test: {
    include: [
      'e2e/**/*.test.ts',
      'src/**/*.test.ts',
      'src/**/*.test.tsx',
      'devnet/**/*.test.ts',
      'contracts/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/*.chain.test.ts'],
    testTimeout: 20_000,
  },
});
