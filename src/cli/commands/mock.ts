import type { Command } from 'commander';
import { readConfigFile, readEnvConfig, resolveSettings } from '../../config.ts';
import { EvkitError } from '../../errors.ts';
import { jsonLineSink } from '../../mock/log.ts';
import { DEFAULT_DRAIN_DEADLINE_MS, type DrainReport, startMock } from '../../mock/server.ts';
import { loadTenantFile } from '../../mock/tenant-file.ts';
import { readTlsFiles } from '../../mock/tls.ts';
import { PROXY_RECORDS_PATH, startProxy } from '../../probe/index.ts';
import { EVENT_PATH } from '../../schema/catalog.ts';
import { defaultTenantFile } from '../../schema/default-tenant.ts';
import type { TenantFile } from '../../schema/tenant.ts';
import { note } from '../output.ts';
import { parsePositive } from './numbers.ts';

interface MockFlags {
  tenant?: string;
  port?: string;
  host?: string;
  tls?: boolean;
  cert?: string;
  key?: string;
  drainDeadline?: string;
  logRequests?: boolean;
  proxy?: string;
  allowRemote?: boolean;
  rate?: string;
  record?: string;
}

/** Settings of `evkit mock`, in the one precedence order (config file and EVKIT_* names in brackets). */
const DEFAULTS = {
  /** [mockTenant, EVKIT_MOCK_TENANT] tenant file; '' = the built-in default. */
  mockTenant: '',
  /** [mockPort, EVKIT_MOCK_PORT] 0 = a free port. */
  mockPort: 0,
  /** [mockHost, EVKIT_MOCK_HOST] */
  mockHost: '127.0.0.1',
  /** [mockDrainDeadline, EVKIT_MOCK_DRAIN_DEADLINE] ms allowed to drain on SIGTERM/SIGINT. */
  mockDrainDeadline: DEFAULT_DRAIN_DEADLINE_MS,
  /** [adminToken, EVKIT_ADMIN_TOKEN] a secret: from the environment or the config file, never a flag. */
  adminToken: '',
};

function parsePort(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new EvkitError('E_USAGE', `--port must be an integer from 0 to 65535, got ${value}`, {
      hint: 'use 0 for a free port',
    });
  }
  return value;
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      // A second signal while draining gives up at once.
      const again = (): void => {
        note('evkit mock: second signal, exiting without waiting for the drain');
        process.exit(1);
      };
      process.once('SIGTERM', again);
      process.once('SIGINT', again);
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

function describeDrain(report: DrainReport): string {
  return `processed ${report.processed} event(s), delivered ${report.delivered} notification(s), failed ${report.failed}, remaining ${report.remaining}`;
}

/** The proxy's flags go with --proxy only, and the proxy serves plain HTTP on loopback by default. */
function checkProxyFlags(flags: MockFlags): void {
  const proxyOnly = (['allowRemote', 'rate', 'record'] as const).filter((f) => flags[f] !== undefined);
  if (flags.proxy === undefined && proxyOnly.length > 0) {
    throw new EvkitError(
      'E_USAGE',
      `--${proxyOnly.map((f) => f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)).join(', --')} apply only with --proxy`,
      {
        hint: 'add --proxy <base URL>, or drop them',
      },
    );
  }
  if (flags.proxy !== undefined && (flags.tls === true || flags.cert !== undefined)) {
    throw new EvkitError('E_USAGE', '--proxy serves plain HTTP: --tls and --cert do not apply', {
      hint: 'drop --tls/--cert (the proxy talks HTTPS to an https:// upstream itself)',
    });
  }
}

/** `evkit mock --proxy`: the validating recorder in front of a real tenant, until SIGTERM/SIGINT. */
async function runProxy(
  flags: MockFlags,
  upstream: string,
  tenantFile: TenantFile,
  settings: { mockPort: unknown; mockHost: string },
): Promise<void> {
  const handle = await startProxy({
    upstream,
    allowRemote: flags.allowRemote === true,
    rate: parsePositive('--rate', flags.rate ?? '1'),
    tenantFile,
    port: parsePort(Number(settings.mockPort)),
    host: settings.mockHost,
    ...(flags.record === undefined ? {} : { recordFile: flags.record }),
  });
  process.stdout.write(`${handle.url}\n`);
  note(
    `evkit mock --proxy: POST ${handle.url}${EVENT_PATH} -> ${upstream}  records: ${handle.url}${PROXY_RECORDS_PATH}`,
  );
  await waitForSignal();
  await handle.close();
  const flagged = handle.records().filter((r) => r.problems.length > 0 || r.disagreements.length > 0).length;
  note(`evkit mock --proxy: stopped; ${handle.forwarded()} forwarded, ${flagged} flagged`);
}

/** `evkit mock`: run the mock Event API endpoint until SIGTERM/SIGINT, then drain and report. */
export function defineMock(program: Command): void {
  program
    .command('mock')
    .description(
      'run the mock Event API endpoint; prints its URL; SIGTERM or Ctrl-C drains the queue and reports',
    )
    .option('--tenant <file>', 'tenant file, JSON or YAML (default: the built-in one, see `evkit tenant`)')
    .option('--port <n>', 'port to listen on (0 = a free one)')
    .option('--host <h>', 'address to listen on (beyond loopback the control API needs EVKIT_ADMIN_TOKEN)')
    .option('--tls', 'serve HTTPS with a self-signed certificate generated at start')
    .option('--cert <file>', 'serve HTTPS with this PEM certificate (with --key)')
    .option('--key <file>', 'the PEM private key of --cert')
    .option('--drain-deadline <ms>', 'time allowed to drain the queue and notifications on shutdown')
    .option('--log-requests', 'log one JSON line per event request to stderr (costs throughput)')
    .option('--proxy <url>', 'validating recorder: forward event requests to this Event API (docs/probe.md)')
    .option('--allow-remote', 'with --proxy: allow an upstream outside loopback')
    .option('--rate <n>', 'with --proxy: forward at most this many requests per second (default 1)')
    .option('--record <file>', 'with --proxy: write every exchange as one NDJSON line')
    .action(async (flags: MockFlags) => {
      const settings = resolveSettings(DEFAULTS, {
        file: readConfigFile(process.cwd()),
        env: readEnvConfig(process.env),
        flags: {
          mockTenant: flags.tenant,
          mockPort: flags.port,
          mockHost: flags.host,
          mockDrainDeadline: flags.drainDeadline,
        },
      });
      if ((flags.cert === undefined) !== (flags.key === undefined)) {
        throw new EvkitError('E_USAGE', '--cert and --key go together', {
          hint: 'give both PEM files, or --tls for a generated certificate',
        });
      }
      const tls =
        flags.cert !== undefined && flags.key !== undefined
          ? readTlsFiles(flags.cert, flags.key)
          : flags.tls === true;
      const tenantFile =
        settings.mockTenant === '' ? defaultTenantFile() : loadTenantFile(settings.mockTenant);
      checkProxyFlags(flags);
      if (flags.proxy !== undefined) {
        await runProxy(flags, flags.proxy, tenantFile, settings);
        return;
      }
      const handle = await startMock({
        tenantFile,
        port: parsePort(Number(settings.mockPort)),
        host: settings.mockHost,
        tls,
        ...(settings.adminToken === '' ? {} : { adminToken: settings.adminToken }),
        log: jsonLineSink(process.stderr),
        logRequests: flags.logRequests === true,
      });
      process.stdout.write(`${handle.url}\n`);
      note(
        `evkit mock: POST ${handle.url}${EVENT_PATH}  control: ${handle.url}/__evkit  (SIGTERM or Ctrl-C drains)`,
      );
      const signal = await waitForSignal();
      note(`evkit mock: ${signal}, draining (deadline ${settings.mockDrainDeadline} ms)`);
      const report = await handle.close({ drainDeadlineMs: Number(settings.mockDrainDeadline) });
      process.stdout.write(`${JSON.stringify({ drain: report })}\n`);
      note(`evkit mock: stopped; ${describeDrain(report)}`);
      // Accepted work that did not finish is reported and fails the run: nothing is lost silently.
      if (report.remaining > 0) process.exitCode = 1;
    });
}
