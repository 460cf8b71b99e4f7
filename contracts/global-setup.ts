import { preparePactDir } from '../src/pact/pact-dir.ts';

/**
 * pact-js merges into existing pact files: remove the ones a previous run wrote so a run writes exactly its
 * interactions. Nothing else in the folder is touched; a folder of foreign files is refused.
 */
export default function setup(): void {
  preparePactDir(process.env.EVKIT_PACT_DIR ?? 'pacts');
}
