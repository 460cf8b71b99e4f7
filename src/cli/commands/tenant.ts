import type { Command } from 'commander';
import { stringify } from 'yaml';
import { DEFAULT_TENANT_FILE_INPUT } from '../../schema/index.ts';

/** `evkit tenant [--json]`: print the default tenant file for users to copy. */
export function defineTenant(program: Command): void {
  program
    .command('tenant')
    .description('print the default tenant file (YAML, or --json) for the mock endpoint')
    .option('--json', 'print JSON instead of YAML')
    .action((opts: { json?: boolean }) => {
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(DEFAULT_TENANT_FILE_INPUT, null, 2)}\n`
          : `# evkit tenant file: copy, edit, then: evkit mock --tenant <file>\n${stringify(DEFAULT_TENANT_FILE_INPUT)}`,
      );
    });
}
