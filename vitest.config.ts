import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'generators/**/*.test.ts', 'test/**/*.test.ts', 'load/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // GitHub's workflow parser imports JSON without import attributes: let vite transform it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    env: { PACT_DO_NOT_TRACK: 'true', SCARF_ANALYTICS: 'false' },
  },
});
