/** docs/load.md documents every setting the scripts read and every metric they record. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ENV, METRIC } from '../load/lib/names.ts';
import { ROOT } from './helpers/cli.ts';

it('names every EVKIT_* setting and every evkit metric', () => {
  const doc = readFileSync(`${ROOT}docs/load.md`, 'utf8');
  for (const name of [...Object.values(ENV), ...Object.values(METRIC)])
    expect(doc, name).toContain(`\`${name}`);
});
