import { EvkitError } from '../errors.ts';
import { type MockHandle, startMock } from '../mock/index.ts';
import { checkReachable } from '../preflight.ts';
import type { TenantFile } from '../schema/index.ts';
import type { BrokerTarget } from './broker-config.ts';
import { pacticipants } from './names.ts';
import { interactionCurl, loadInteractions, pactProviders } from './pact-files.ts';
import { pactFiles } from './publish.ts';
import type { StateCall } from './state-bridge.ts';
import { type VerifierJob, verifyInChild } from './verifier-child.ts';
import {
  COUNTS_AS_PASSED,
  type InteractionReport,
  interactionReports,
  runProblems,
} from './verify-result.ts';

/** Pacts from a broker, for a provider, by consumer version selectors. */
export interface BrokerSource {
  readonly target: BrokerTarget;
  readonly selectors?: readonly Record<string, string | boolean>[];
  readonly providerVersion?: string;
  readonly providerBranch?: string;
  readonly publishResults?: boolean;
  readonly enablePending?: boolean;
  readonly includeWipPactsSince?: string;
}

/** What to verify and against what. Default target: an embedded mock started for the run. */
export interface VerifyOptions {
  /** Pact files or folders. */
  readonly pacts?: readonly string[];
  readonly broker?: BrokerSource;
  /** A real provider: states cannot be set there, so interactions with states are reported as not verified. */
  readonly providerBaseUrl?: string;
  /** An evkit mock that is already running (states through its control API). */
  readonly mockUrl?: string;
  readonly adminToken?: string;
  /** The embedded mock's tenant file (default tenant otherwise). */
  readonly tenantFile?: TenantFile;
  readonly provider?: string;
  readonly logLevel?: 'error' | 'warn' | 'info' | 'debug' | 'trace';
}

/** Where the verification ran. */
export type VerifyTargetKind = 'embedded-mock' | 'mock' | 'provider';

/** The outcome of a verification run. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly provider: string;
  readonly target: { readonly kind: VerifyTargetKind; readonly url: string };
  readonly source: string;
  readonly interactions: readonly InteractionReport[];
  readonly stateCalls: readonly StateCall[];
  /** Problems of the run itself: pacts that would not load, a broker without pacts. */
  readonly problems: readonly string[];
  /** A curl line per interaction that did not pass (pacts from files only). */
  readonly reproductions: readonly { readonly description: string; readonly curl: string }[];
  /** The verifier's own text output. */
  readonly output: readonly string[];
  /** Everything the verifier process printed (pact-core's transcript, Rust log lines, warnings): for a log. */
  readonly transcript: string;
  readonly startedAt: string;
  readonly durationMs: number;
}

/** Verify pacts against the embedded mock, a running mock or a real provider, and report per interaction. */
export async function verifyPacts(options: VerifyOptions): Promise<VerifyReport> {
  if (options.broker?.publishResults && !options.broker.providerVersion) {
    throw new EvkitError('E_VERSION', 'publishing verification results needs the provider version', {
      details: { need: 'provider-version' },
    });
  }
  const startedAt = new Date();
  const files = options.broker ? [] : (options.pacts ?? ['pacts']).flatMap(pactFiles);
  // The verifier skips pacts of other providers: a team's own pact names its provider, so default to that name.
  const named = pactProviders(files);
  const provider = options.provider ?? (named.length === 1 ? named[0] : undefined) ?? pacticipants().provider;
  const others = named.filter((n) => n !== provider);
  if (others.length > 0) {
    throw new EvkitError(
      'E_PROVIDER_MISMATCH',
      `the pacts are for provider(s) ${others.join(', ')}, not ${provider}`,
      {
        details: { files, providers: named },
      },
    );
  }
  let mock: MockHandle | undefined;
  let kind: VerifyTargetKind;
  let url: string;
  let states: VerifierJob['states'] = { kind: 'none' };
  if (options.providerBaseUrl !== undefined) {
    kind = 'provider';
    url = options.providerBaseUrl.replace(/\/+$/, '');
    await checkReachable(url, '--provider-base-url');
  } else if (options.mockUrl !== undefined) {
    kind = 'mock';
    url = options.mockUrl.replace(/\/+$/, '');
    await checkReachable(url, '--mock-url');
    states = {
      kind: 'mock',
      url,
      ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
    };
  } else {
    mock = await startMock(options.tenantFile ? { tenantFile: options.tenantFile } : {});
    kind = 'embedded-mock';
    url = mock.url;
    states = { kind: 'mock', url };
  }
  try {
    const broker = options.broker;
    const verification = await verifyInChild({
      states,
      options: {
        provider,
        providerBaseUrl: url,
        logLevel: options.logLevel ?? 'error',
        ...(broker
          ? {
              pactBrokerUrl: broker.target.url,
              ...(broker.target.env.PACT_BROKER_TOKEN
                ? { pactBrokerToken: broker.target.env.PACT_BROKER_TOKEN }
                : {}),
              ...(broker.target.env.PACT_BROKER_USERNAME
                ? {
                    pactBrokerUsername: broker.target.env.PACT_BROKER_USERNAME,
                    pactBrokerPassword: broker.target.env.PACT_BROKER_PASSWORD ?? '',
                  }
                : {}),
              consumerVersionSelectors: [
                ...(broker.selectors ?? [{ mainBranch: true }, { deployedOrReleased: true }]),
              ],
              // pact-core validates the key's presence, not its value: set it only when publishing.
              ...(broker.publishResults ? { publishVerificationResult: true } : {}),
              ...(broker.providerVersion ? { providerVersion: broker.providerVersion } : {}),
              ...(broker.providerBranch ? { providerVersionBranch: broker.providerBranch } : {}),
              enablePending: broker.enablePending === true,
              ...(broker.includeWipPactsSince ? { includeWipPactsSince: broker.includeWipPactsSince } : {}),
            }
          : { pactUrls: files }),
      },
    });
    const { json, calls, transcript } = verification;
    const interactions = interactionReports(json, calls, kind === 'provider');
    const loaded = loadInteractions(files);
    const reproductions = interactions
      .filter((i) => i.status !== 'passed')
      .flatMap((i) => {
        const found = loaded.find((l) => l.description === i.description && l.consumer === i.consumer);
        return found
          ? [{ description: `${i.consumer}: ${i.description}`, curl: interactionCurl(found, url) }]
          : [];
      });
    const problems = runProblems(json);
    return {
      // Zero interactions is not a pass: a verification that checked nothing must not look green.
      ok:
        interactions.length > 0 &&
        problems.length === 0 &&
        interactions.every((i) => COUNTS_AS_PASSED[i.status]),
      provider,
      target: { kind, url },
      source: broker ? `broker ${broker.target.url}` : files.join(', '),
      interactions,
      stateCalls: calls,
      problems,
      reproductions,
      output: json.output ?? [],
      transcript,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
    };
  } finally {
    await mock?.close({ drainDeadlineMs: 0 });
  }
}
