import type { Command } from 'commander';
import { openApiDocument } from '../../export/index.ts';
import { note, writeOutput } from '../output.ts';

/** `evkit openapi [--out file]`: the OpenAPI 3.1 document, generated from the zod schemas. */
export function defineOpenapi(program: Command): void {
  program
    .command('openapi')
    .description(
      'print the OpenAPI 3.1 document of the Event API (from the zod schemas), with an example per code',
    )
    .option('--out <file>', 'write to a file instead of stdout')
    .action((opts: { out?: string }) => {
      const text = `${JSON.stringify(openApiDocument(), null, 2)}\n`;
      if (opts.out) {
        writeOutput(opts.out, text);
        note(`wrote ${opts.out}`);
      } else process.stdout.write(text);
    });
}
