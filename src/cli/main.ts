import { Command, CommanderError, type Option } from 'commander';
import { EXIT, isEvkitError } from '../errors.ts';
import { packageVersion } from '../package-root.ts';
import { COMMANDS } from './commands/index.ts';

/** An option's help line: its description and its default, once and unquoted (commander would quote it). */
function optionDescription(option: Option): string {
  const value: unknown = option.defaultValue;
  const shown =
    value === undefined || value === false || (Array.isArray(value) && value.length === 0)
      ? undefined
      : (option.defaultValueDescription ?? String(value));
  return shown === undefined || /\(default[: ]/.test(option.description)
    ? option.description
    : `${option.description} (default: ${shown})`;
}

/** Build the evkit program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('evkit')
    .description('Contracts and load tests for the Webex Connect Event API, with a faithful mock endpoint.')
    .version(packageVersion(), '-V, --version', 'print the version of evkit')
    // `evkit --version` is evkit's; after a command, `--version <v>` is that command's (can-i-deploy, record-*).
    .enablePositionalOptions()
    .configureHelp({ optionDescription })
    .showHelpAfterError('(run evkit <command> --help for the options)')
    .exitOverride();
  for (const define of COMMANDS) define(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Run the CLI and return its exit code (0 passed, 1 a check failed, 2 usage, 3 internal). */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version output are not errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isEvkitError(error)) {
      process.stderr.write(`error [${error.code}]: ${error.message}\n`);
      if (error.hint) process.stderr.write(`  fix: ${error.hint}\n`);
      if (error.exitCode === EXIT.internal) process.stderr.write(`${error.stack ?? ''}\n`);
      return error.exitCode;
    }
    process.stderr.write(`error [E_INTERNAL]: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.internal;
  }
}
