import { defineConfig } from 'vitest/config';

/**
 * The consumer suite's own config: `evkit contracts` runs it (the root config does not include contracts/), so the
 * pacts are written once per run, into EVKIT_PACT_DIR, which the global setup empties first.
 */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['contracts/**/*.pact.test.ts'],
    globalSetup: ['contracts/global-setup.ts'],
    // Forks: pact-js's native core prints a tracing warning per extra worker thread.
    pool: 'forks',
    // One PactV4 instance per file, tests in order: pact-js writes one merged file at the end.
    sequence: { concurrent: false },
    testTimeout: 30_000,
    env: { PACT_DO_NOT_TRACK: 'true', SCARF_ANALYTICS: 'false' },
  },
});
