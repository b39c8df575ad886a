import { defineConfig } from 'vitest/config';

/**
 * Tests that start the app or touch a database (routes, services, stores) are
 * integration tests, wherever they live: they run on SQLite, and in CI also on
 * PostgreSQL (`--project integration`). The rest of src/ is pure: unit tests.
 */
const INTEGRATION_IN_SRC = ['src/**/*.routes.test.ts', 'src/**/*.service.test.ts', 'src/**/*.store.test.ts'];

export default defineConfig({
  // Test files are outside tsconfig.json's build, so tell the transformer about Preact's JSX here.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.{ts,tsx}', 'tools/lint/rules/*.test.ts'], exclude: INTEGRATION_IN_SRC, environment: 'node' },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts', ...INTEGRATION_IN_SRC], exclude: ['test/e2e/**', 'test/reliability/**'], testTimeout: 30_000, hookTimeout: 60_000 },
      },
      {
        // Real `dispatch serve` processes, killed, signalled and restarted: one file at a time.
        extends: true,
        test: { name: 'reliability', include: ['test/reliability/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false },
      },
    ],
  },
});
