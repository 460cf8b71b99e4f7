import type { Command } from 'commander';
import {
  brokerTarget,
  gitCommit,
  pacticipants,
  parseCount,
  RECORD_KINDS,
  type RecordKind,
  recordInEnvironment,
} from '../../pact/index.ts';

interface RecordFlags {
  environment: string;
  pacticipant?: string;
  version?: string;
  applicationInstance?: string;
  brokerUrl?: string;
  retries?: string;
}

function defineRecord(program: Command, kind: RecordKind, description: string): void {
  const command = program
    .command(RECORD_KINDS[kind].command)
    .description(description)
    .requiredOption('--environment <name>', `the environment it was ${RECORD_KINDS[kind].past} to`)
    .option('--pacticipant <name>', 'the pacticipant (default: the consumer name, EVKIT_PACT_CONSUMER)')
    .option('--version <version>', 'the version (default: git rev-parse HEAD)')
    .option('--broker-url <url>', 'the broker (default: PACT_BROKER_BASE_URL)')
    .option('--retries <n>', 'HTTP retries of the CLI against the broker (default 2)');
  if (kind === 'deployment') {
    command.option('--application-instance <name>', 'which instance, when several run in one environment');
  }
  command.action(async (flags: RecordFlags) => {
    const pacticipant = flags.pacticipant ?? pacticipants().consumer;
    const version = flags.version ?? gitCommit();
    await recordInEnvironment({
      kind,
      broker: brokerTarget(flags.brokerUrl),
      pacticipant,
      version,
      environment: flags.environment,
      applicationInstance: flags.applicationInstance,
      ...(flags.retries === undefined ? {} : { retries: parseCount('--retries', flags.retries) }),
    });
    process.stdout.write(
      `recorded: ${pacticipant} ${version} ${RECORD_KINDS[kind].past} to ${flags.environment}\n`,
    );
  });
}

/** `evkit record-deployment --environment <env>`: after a deployment, tell the broker (exit 1 if it refuses). */
export function defineRecordDeployment(program: Command): void {
  defineRecord(
    program,
    'deployment',
    'record in the Pact Broker that a version was deployed to an environment',
  );
}

/** `evkit record-release --environment <env>`: after a release, tell the broker (exit 1 if it refuses). */
export function defineRecordRelease(program: Command): void {
  defineRecord(program, 'release', 'record in the Pact Broker that a version was released to an environment');
}
