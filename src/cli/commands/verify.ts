import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { EvkitError } from '../../errors.ts';
import { redact, runSecrets } from '../../load/index.ts';
import { loadTenantFile } from '../../mock/index.ts';
import {
  brokerTarget,
  renderVerifyJunit,
  renderVerifyText,
  type VerifyOptions,
  verifyPacts,
} from '../../pact/index.ts';
import { defaultTenantFile } from '../../schema/index.ts';
import { note, outputError, writeOutput } from '../output.ts';

interface VerifyFlags {
  pact: string[];
  brokerUrl?: string;
  fromBroker?: boolean;
  provider?: string;
  providerVersion?: string;
  providerBranch?: string;
  publishResults?: boolean;
  consumerVersionSelector: string[];
  enablePending?: boolean;
  includeWipSince?: string;
  providerBaseUrl?: string;
  mockUrl?: string;
  tenant?: string;
  junit?: string;
  log?: string;
}

function parseSelector(text: string): Record<string, string | boolean> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, string | boolean>;
  } catch {
    // Reported below with the fix.
  }
  throw new EvkitError('E_USAGE', `--consumer-version-selector must be a JSON object, got ${text}`, {
    details: { flag: '--consumer-version-selector', example: `'{"mainBranch":true}'`, value: text },
  });
}

function options(flags: VerifyFlags): VerifyOptions {
  if (flags.providerBaseUrl !== undefined && flags.mockUrl !== undefined) {
    throw new EvkitError('E_FLAGS', '--provider-base-url and --mock-url name two targets', {
      details: { flags: ['--provider-base-url', '--mock-url'], rule: 'one-of' },
    });
  }
  const fromBroker = flags.brokerUrl !== undefined || flags.fromBroker === true;
  if (fromBroker && flags.pact.length > 0) {
    throw new EvkitError('E_FLAGS', '--pact and a broker are two sources of pacts', {
      details: { flags: ['--pact', '--broker-url'], rule: 'one-of' },
    });
  }
  return {
    ...(fromBroker
      ? {
          broker: {
            target: brokerTarget(flags.brokerUrl),
            ...(flags.consumerVersionSelector.length
              ? { selectors: flags.consumerVersionSelector.map(parseSelector) }
              : {}),
            ...(flags.providerVersion ? { providerVersion: flags.providerVersion } : {}),
            ...(flags.providerBranch ? { providerBranch: flags.providerBranch } : {}),
            publishResults: flags.publishResults === true,
            enablePending: flags.enablePending === true,
            ...(flags.includeWipSince ? { includeWipPactsSince: flags.includeWipSince } : {}),
          },
        }
      : { pacts: flags.pact.length ? flags.pact : ['pacts'] }),
    ...(flags.provider ? { provider: flags.provider } : {}),
    ...(flags.providerBaseUrl ? { providerBaseUrl: flags.providerBaseUrl } : {}),
    ...(flags.mockUrl ? { mockUrl: flags.mockUrl } : {}),
    ...(process.env.EVKIT_ADMIN_TOKEN ? { adminToken: process.env.EVKIT_ADMIN_TOKEN } : {}),
    ...(flags.tenant ? { tenantFile: loadTenantFile(flags.tenant) } : {}),
  };
}

const collect = (v: string, all: string[]) => [...all, v];

/** `evkit verify`: verify pacts (ours or any consumer's) against the embedded mock, a running mock or a provider. */
export function defineVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'verify pacts against the embedded mock (default), a running mock (--mock-url) or a real provider (--provider-base-url)',
    )
    .option('--pact <file|dir>', 'pact files or folders (repeatable; default ./pacts)', collect, [])
    .option('--broker-url <url>', 'fetch the pacts from a Pact Broker instead')
    .option('--from-broker', 'fetch the pacts from the broker at PACT_BROKER_BASE_URL')
    .option('--provider <name>', 'the provider name (default webex-connect-event-api, EVKIT_PACT_PROVIDER)')
    .option('--consumer-version-selector <json>', 'broker selector (repeatable)', collect, [])
    .option('--provider-version <version>', 'provider version for published results')
    .option('--provider-branch <branch>', 'provider branch for published results')
    .option('--publish-results', 'publish the verification results to the broker')
    .option('--enable-pending', 'pending pacts do not fail the run')
    .option('--include-wip-since <date>', 'also verify work-in-progress pacts since this date')
    .option(
      '--provider-base-url <url>',
      'a real provider: provider states cannot be set there and are reported',
    )
    .option('--mock-url <url>', 'an evkit mock already running (admin token from EVKIT_ADMIN_TOKEN)')
    .option('--tenant <file>', 'the tenant file of the embedded mock')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--log <file>', "write the Pact verifier's own transcript (kept off stdout) to this file")
    .action(async (flags: VerifyFlags) => {
      const opts = options(flags);
      const report = await verifyPacts(opts);
      process.stdout.write(renderVerifyText(report));
      const secrets = runSecrets(opts.tenantFile ?? defaultTenantFile(), process.env);
      if (flags.log) {
        writeOutput(flags.log, redact(report.transcript, secrets));
        note(`wrote the verifier's transcript to ${flags.log}`);
      }
      if (flags.junit) {
        try {
          mkdirSync(dirname(flags.junit), { recursive: true });
        } catch (cause) {
          throw outputError(cause, flags.junit, 'the JUnit report');
        }
        writeOutput(flags.junit, renderVerifyJunit(redact(report, secrets)));
        note(`wrote ${flags.junit}`);
      }
      if (!report.ok) {
        const bad = report.interactions.filter(
          (i) => i.status !== 'passed' && i.status !== 'pending-failed',
        ).length;
        throw new EvkitError(
          'E_CONTRACT',
          report.interactions.length === 0
            ? `no interaction was verified${report.problems.length ? `: ${report.problems.join('; ')}` : ''}`
            : `${bad} of ${report.interactions.length} interactions did not pass verification`,
          {
            details: { check: report.target.kind === 'provider' ? 'verify-provider' : 'verify-mock' },
          },
        );
      }
    });
}
