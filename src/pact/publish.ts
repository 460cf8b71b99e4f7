import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EvkitError } from '../errors.ts';
import { brokerFailure, cliMessage, runBrokerCli } from './broker-cli.ts';
import { type BrokerTarget, DEFAULT_BROKER_RETRIES } from './broker-config.ts';

/** What to publish and under which version, branch, tags and build URL. */
export interface PublishOptions {
  readonly pacts: string;
  readonly broker: BrokerTarget;
  readonly consumerVersion: string;
  readonly branch?: string | undefined;
  readonly tags?: readonly string[];
  readonly buildUrl?: string | undefined;
  readonly retries?: number;
  /** Merge into an existing pact of the same version instead of overwriting it. */
  readonly merge?: boolean;
}

/** What was published. */
export interface PublishResult {
  readonly files: readonly string[];
  readonly consumerVersion: string;
  readonly branch: string | undefined;
  readonly output: string;
}

/** The pact files of a file or folder; none is a usage error (the consumer suite has not run). */
export function pactFiles(path: string): string[] {
  if (!existsSync(path)) {
    throw new EvkitError('E_NOT_FOUND', `no pacts at ${path}`, {
      hint: 'run evkit contracts first (it writes ./pacts)',
    });
  }
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(path, f))
    : [path];
  if (files.length === 0) {
    throw new EvkitError('E_NOT_FOUND', `no pact files (*.json) in ${path}`, {
      hint: 'run evkit contracts first',
    });
  }
  return files;
}

/** The CLI arguments of one publication (no credentials: those travel in the environment). */
export function publishArgs(options: PublishOptions, files: readonly string[]): string[] {
  return [
    'publish',
    ...files,
    '--consumer-app-version',
    options.consumerVersion,
    ...(options.branch ? ['--branch', options.branch] : []),
    // The CLI takes one --tag with a comma-separated list (repeating the flag is an error).
    ...(options.tags?.length ? ['--tag', options.tags.join(',')] : []),
    ...(options.buildUrl ? ['--build-url', options.buildUrl] : []),
    ...(options.merge ? ['--merge'] : []),
    '--broker-base-url',
    options.broker.url,
    '--retries',
    String(options.retries ?? DEFAULT_BROKER_RETRIES),
  ];
}

/** Publish pacts through the official pact broker CLI. */
export async function publishPacts(options: PublishOptions): Promise<PublishResult> {
  const files = pactFiles(options.pacts);
  const run = await runBrokerCli(publishArgs(options, files), options.broker.env);
  if (run.exitCode !== 0) throw brokerFailure(run, 'publish', options.broker.url);
  return { files, consumerVersion: options.consumerVersion, branch: options.branch, output: cliMessage(run) };
}
