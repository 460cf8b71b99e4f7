import type { Command } from 'commander';
import { EvkitError } from '../../errors.ts';
import { brokerTarget, canIDeploy, gitCommit, pacticipants, parseCount } from '../../pact/index.ts';

interface CanIDeployFlags {
  pacticipant?: string;
  version?: string;
  toEnvironment: string;
  brokerUrl?: string;
  retryWhileUnknown?: string;
  retryInterval?: string;
  retries?: string;
  dryRun?: boolean;
}

/** `evkit can-i-deploy`: ask the broker whether a version may be deployed; exit 1 when it may not. */
export function defineCanIDeploy(program: Command): void {
  program
    .command('can-i-deploy')
    .description('ask a Pact Broker whether a pacticipant version can be deployed to an environment')
    .requiredOption('--to-environment <name>', 'the environment to deploy to')
    .option('--pacticipant <name>', 'the pacticipant (default: the consumer name, EVKIT_PACT_CONSUMER)')
    .option('--version <version>', 'the version (default: git rev-parse HEAD)')
    .option('--broker-url <url>', 'the broker (default: PACT_BROKER_BASE_URL)')
    .option('--retry-while-unknown <n>', 'times to retry while verification results are missing')
    .option('--retry-interval <seconds>', 'seconds between those retries')
    .option('--retries <n>', 'HTTP retries of the CLI against the broker (default 2)')
    .option('--dry-run', 'ask, but always exit 0')
    .action(async (flags: CanIDeployFlags) => {
      const pacticipant = flags.pacticipant ?? pacticipants().consumer;
      const version = flags.version ?? gitCommit();
      const verdict = await canIDeploy({
        broker: brokerTarget(flags.brokerUrl),
        pacticipant,
        version,
        environment: flags.toEnvironment,
        ...(flags.retryWhileUnknown === undefined
          ? {}
          : { retryWhileUnknown: parseCount('--retry-while-unknown', flags.retryWhileUnknown) }),
        ...(flags.retryInterval === undefined
          ? {}
          : { retryIntervalSeconds: parseCount('--retry-interval', flags.retryInterval) }),
        ...(flags.retries === undefined ? {} : { retries: parseCount('--retries', flags.retries) }),
        dryRun: flags.dryRun === true,
      });
      const answer = verdict.deployable === true ? 'yes' : verdict.deployable === false ? 'no' : 'unknown';
      process.stdout.write(
        `can-i-deploy ${pacticipant} ${version} to ${flags.toEnvironment}: ${answer} — ${verdict.reason} ` +
          `(success ${verdict.success}, failed ${verdict.failed}, unknown ${verdict.unknown})\n`,
      );
      if (verdict.deployable !== true && flags.dryRun !== true) {
        throw new EvkitError(
          'E_CHECK_FAILED',
          `${pacticipant} ${version} cannot be deployed to ${flags.toEnvironment}`,
          {
            details: { ...verdict },
          },
        );
      }
    });
}
