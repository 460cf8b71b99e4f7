import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // pact-js writes one merged pact file: the interactions of a file run in order.
    sequence: { concurrent: false },
    env: { PACT_DO_NOT_TRACK: 'true', SCARF_ANALYTICS: 'false' },
  },
});
