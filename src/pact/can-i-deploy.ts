import { EvkitError } from '../errors.ts';
import { brokerFailure, cliMessage, runBrokerCli } from './broker-cli.ts';
import { type BrokerTarget, DEFAULT_BROKER_RETRIES } from './broker-config.ts';

/** Which pacticipant version may go where. */
export interface CanIDeployOptions {
  readonly broker: BrokerTarget;
  readonly pacticipant: string;
  readonly version: string;
  /** The target environment (`--to-environment`). */
  readonly environment: string;
  readonly retryWhileUnknown?: number;
  readonly retryIntervalSeconds?: number;
  readonly retries?: number;
  readonly dryRun?: boolean;
}

/** The broker's verdict. `deployable: null` means unknown (missing verification results). */
export interface CanIDeployResult {
  readonly deployable: boolean | null;
  readonly reason: string;
  readonly success: number;
  readonly failed: number;
  readonly unknown: number;
}

/** The CLI arguments of one can-i-deploy query (JSON output: the verdict is read from it, not from text). */
export function canIDeployArgs(options: CanIDeployOptions): string[] {
  return [
    'can-i-deploy',
    '--pacticipant',
    options.pacticipant,
    '--version',
    options.version,
    '--to-environment',
    options.environment,
    ...(options.retryWhileUnknown === undefined
      ? []
      : ['--retry-while-unknown', String(options.retryWhileUnknown)]),
    ...(options.retryIntervalSeconds === undefined
      ? []
      : ['--retry-interval', String(options.retryIntervalSeconds)]),
    ...(options.dryRun ? ['--dry-run'] : []),
    '--broker-base-url',
    options.broker.url,
    '--retries',
    String(options.retries ?? DEFAULT_BROKER_RETRIES),
    '--output',
    'json',
  ];
}

function parseVerdict(stdout: string): CanIDeployResult | undefined {
  const start = stdout.indexOf('{');
  if (start < 0) return undefined;
  try {
    const summary = (JSON.parse(stdout.slice(start)) as { summary?: Partial<CanIDeployResult> }).summary;
    if (!summary || !('deployable' in summary)) return undefined;
    return {
      deployable: summary.deployable ?? null,
      reason: summary.reason ?? '',
      success: summary.success ?? 0,
      failed: summary.failed ?? 0,
      unknown: summary.unknown ?? 0,
    };
  } catch {
    return undefined;
  }
}

/**
 * Ask the broker whether a version can be deployed. The verdict is read from the JSON summary, because the CLI
 * exits 0 with `--output json` even when the answer is no.
 */
export async function canIDeploy(options: CanIDeployOptions): Promise<CanIDeployResult> {
  const run = await runBrokerCli(canIDeployArgs(options), options.broker.env);
  const verdict = parseVerdict(run.stdout);
  if (verdict) return verdict;
  if (run.exitCode !== 0) throw brokerFailure(run, 'can-i-deploy', options.broker.url);
  throw new EvkitError('E_BROKER', 'can-i-deploy: the broker answered without a verdict', {
    details: { output: cliMessage(run), missingVerdict: true },
  });
}
