import type { Command } from 'commander';
import { evaluateOfficialExamples } from '../../jobs/official-examples.ts';
import { createRandom, randomUuid } from '../../random.ts';
import { CATALOG, RESPONSE_CODES } from '../../schema/catalog.ts';
import { defaultTenantFile } from '../../schema/default-tenant.ts';
import { envelopeEntries } from '../../schema/response.ts';
import { renderTable } from '../output.ts';

/** `evkit start`: the main job. */
export function defineStart(program: Command): void {
  program
    .command('start')
    .description('the main job: run everything against the embedded mock endpoint and report')
    .action(async () => {
      const random = createRandom(1);
      const file = defaultTenantFile();
      const results = await evaluateOfficialExamples(file, {
        clock: { now: () => Date.now() },
        ids: { next: () => randomUuid(random) },
        rateLimiter: { admit: () => 'queued' },
      });
      process.stdout.write('Official request examples, evaluated against the default tenant:\n');
      process.stdout.write(
        `${renderTable(
          ['example', 'code', 'description'],
          results.flatMap((r) => envelopeEntries(r.envelope).map((e) => [r.name, e.code, e.description])),
        )}\n\nResponse-code catalog:\n`,
      );
      process.stdout.write(
        `${renderTable(
          ['code', 'message', 'level', 'form', 'triggered by'],
          RESPONSE_CODES.map((c) => [
            c,
            CATALOG[c].message,
            CATALOG[c].level,
            CATALOG[c].form,
            CATALOG[c].requestTriggered ? 'a request' : 'state/load',
          ]),
        )}\n`,
      );
    });
}
