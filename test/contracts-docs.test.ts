import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROVIDER_STATE_NAMES } from '../src/mock/states.ts';
import { ROOT } from './helpers/cli.ts';

describe('docs/contracts.md', () => {
  it('documents every provider state the mock understands, by its exact name', () => {
    const doc = readFileSync(`${ROOT}docs/contracts.md`, 'utf8');
    const documented = [...doc.matchAll(/^\| `([^`]+)` \| /gm)].map((m) => m[1]);
    for (const name of PROVIDER_STATE_NAMES) expect(documented).toContain(name);
  });
});
