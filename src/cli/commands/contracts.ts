import { relative } from 'node:path';
import type { Command } from 'commander';
import { runConsumerSuite } from '../../pact/index.ts';

/** `evkit contracts [--out pacts]`: run the consumer suite and write the pacts. */
export function defineContracts(program: Command): void {
  program
    .command('contracts')
    .description(
      'run the Pact consumer suite through the Event API client and write the pacts (all 11 codes)',
    )
    .option('--out <dir>', 'the pacts folder (only pact files evkit wrote there are replaced)', 'pacts')
    .action(async (flags: { out: string }) => {
      const result = await runConsumerSuite({ out: flags.out });
      for (const file of result.files) process.stdout.write(`${relative(process.cwd(), file) || file}\n`);
      process.stdout.write(
        `${result.interactions} interactions covering ${result.codes.length} codes (${result.codes.join(', ')})\n`,
      );
    });
}
