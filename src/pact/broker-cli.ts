import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { EvkitError } from '../errors.ts';

/** What a run of the pact broker CLI printed and how it ended. */
export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The official pact broker CLI (a Node shim over the pact-cli platform binary). */
export function brokerCliPath(): string {
  try {
    return createRequire(import.meta.url).resolve('@pact-foundation/pact-cli/bin/pact-broker.js');
  } catch (cause) {
    throw new EvkitError(
      'E_TOOL_MISSING',
      'the broker commands need the official pact CLI (@pact-foundation/pact-cli), which is not installed',
      {
        details: { tool: '@pact-foundation/pact-cli' },
        cause,
      },
    );
  }
}

/**
 * Run `pact-broker <args>`. Credentials travel in the child's environment (PACT_BROKER_TOKEN, ...), never in
 * its arguments, so they do not show in process listings.
 */
export function runBrokerCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const child = spawn(process.execPath, [brokerCliPath(), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.on('error', (cause) =>
      reject(
        new EvkitError('E_TOOL_MISSING', `cannot run the pact broker CLI: ${cause.message}`, {
          details: { tool: '@pact-foundation/pact-cli' },
          cause,
        }),
      ),
    );
    child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
  });
}

const UNREACHABLE = /error sending request|Failed to access pact broker|Connection refused|dns error/i;

/** The CLI's own words, without its decoration, for an error message. */
export function cliMessage(run: CliRun): string {
  return `${run.stdout}\n${run.stderr}`
    .split('\n')
    .map((l) => l.replace(/^[^\p{L}\p{N}[{]+/u, '').trim())
    .filter((l) => l !== '' && !l.startsWith('Attempting to'))
    .join('\n');
}

/** Turn a failed CLI run into an error: unreachable broker (E_NETWORK) or a rejection (E_BROKER). */
export function brokerFailure(run: CliRun, what: string, brokerUrl: string): EvkitError {
  const text = cliMessage(run);
  if (UNREACHABLE.test(text)) {
    return new EvkitError('E_NETWORK', `${what}: cannot reach the Pact Broker at ${brokerUrl}`, {
      details: { url: brokerUrl, broker: true, output: text },
    });
  }
  return new EvkitError(
    'E_BROKER',
    `${what}: the Pact Broker at ${brokerUrl} refused: ${text || `exit ${run.exitCode}`}`,
    {
      details: { brokerUrl, output: text, exitCode: run.exitCode },
    },
  );
}
