import { EvkitError } from '../errors.ts';
import { brokerFailure, cliMessage, runBrokerCli } from './broker-cli.ts';
import { type BrokerTarget, DEFAULT_BROKER_RETRIES } from './broker-config.ts';

/** What the broker is told: a deployment (replaces what ran there) or a release (one of several supported). */
export const RECORD_KINDS = {
  deployment: { command: 'record-deployment', past: 'deployed' },
  release: { command: 'record-release', past: 'released' },
} as const;
export type RecordKind = keyof typeof RECORD_KINDS;

/** Which pacticipant version went where. */
export interface RecordOptions {
  readonly kind: RecordKind;
  readonly broker: BrokerTarget;
  readonly pacticipant: string;
  readonly version: string;
  readonly environment: string;
  /** Deployments only: which instance, when several of one application run in the environment. */
  readonly applicationInstance?: string | undefined;
  readonly retries?: number;
}

/** The CLI arguments of one record-deployment / record-release. */
export function recordArgs(options: RecordOptions): string[] {
  return [
    RECORD_KINDS[options.kind].command,
    '--pacticipant',
    options.pacticipant,
    '--version',
    options.version,
    '--environment',
    options.environment,
    ...(options.kind === 'deployment' && options.applicationInstance !== undefined
      ? ['--application-instance', options.applicationInstance]
      : []),
    '--broker-base-url',
    options.broker.url,
    '--retries',
    String(options.retries ?? DEFAULT_BROKER_RETRIES),
  ];
}

/**
 * Tell the broker that a version was deployed or released to an environment (through the official pact CLI), so
 * that `can-i-deploy --to-environment` has something to compare the next version with.
 */
export async function recordInEnvironment(options: RecordOptions): Promise<string> {
  const run = await runBrokerCli(recordArgs(options), options.broker.env);
  const what = RECORD_KINDS[options.kind].command;
  if (run.exitCode === 0) return cliMessage(run);
  const text = cliMessage(run);
  if (/environment .* does not exist/i.test(text)) {
    throw new EvkitError('E_BROKER', `${what}: the broker has no environment "${options.environment}"`, {
      details: { output: text, environment: options.environment },
    });
  }
  throw brokerFailure(run, what, options.broker.url);
}
