import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The kernel conformance tests only (`npm run test:kernel`, root in CI): they build labs in real
// network namespaces, so they run one file at a time and get generous timeouts.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    environment: 'node',
    include: ['tests/kernel/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
