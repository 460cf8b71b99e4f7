import { rmSync } from 'node:fs';

/** pact-js merges into existing pact files: start from an empty folder so a run writes exactly its interactions. */
export default function setup(): void {
  rmSync(process.env.EVKIT_PACT_DIR ?? 'pacts', { recursive: true, force: true });
}
