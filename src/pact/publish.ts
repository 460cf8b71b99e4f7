import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

/** Whether a path is the default pacts folder (evkit contracts writes it). */
function isDefaultFolder(path: string): boolean {
  return resolve(path) === resolve('pacts');
}

/**
 * The pact files of a file or folder, each checked to be a pact (JSON with a consumer, a provider and
 * interactions) so that a garbage file is a usage error here, not a verifier failure; none is a usage error too.
 */
export function pactFiles(path: string): string[] {
  if (!existsSync(path)) {
    throw new EvkitError('E_NOT_FOUND', `no pact file or folder at ${path}`, {
      details: { path, defaultFolder: isDefaultFolder(path) },
    });
  }
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
        .sort()
        .map((f) => join(path, f))
    : [path];
  if (files.length === 0) {
    throw new EvkitError('E_NOT_FOUND', `no pact files (*.json) in ${path}`, {
      details: { path, defaultFolder: isDefaultFolder(path) },
    });
  }
  for (const file of files) checkPactFile(file);
  return files;
}

/** A file that is not a pact is a usage error naming the file and what is wrong with it. */
function checkPactFile(file: string): void {
  let pact: unknown;
  try {
    pact = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new EvkitError('E_PACT_FILE', `${file} is not a pact: ${(cause as Error).message}`, {
      details: { file },
      cause,
    });
  }
  const p = pact as { consumer?: { name?: unknown }; provider?: { name?: unknown }; interactions?: unknown };
  const missing = [
    typeof p?.consumer?.name === 'string' ? undefined : 'consumer.name',
    typeof p?.provider?.name === 'string' ? undefined : 'provider.name',
    Array.isArray(p?.interactions) || Array.isArray((pact as { messages?: unknown })?.messages)
      ? undefined
      : 'interactions',
  ].filter((m) => m !== undefined);
  if (missing.length > 0) {
    throw new EvkitError('E_PACT_FILE', `${file} is not a pact: it has no ${missing.join(', ')}`, {
      details: { file, missing },
    });
  }
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
