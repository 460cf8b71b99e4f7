import type { Command } from 'commander';
import { readConfigFile, readEnvConfig, resolveSettings } from '../../config.ts';
import { EvkitError } from '../../errors.ts';
import { jsonLineSink } from '../../mock/log.ts';
import { DEFAULT_DRAIN_DEADLINE_MS, type DrainReport, startMock } from '../../mock/server.ts';
import { loadTenantFile, parseTenantFileText } from '../../mock/tenant-file.ts';
import { readTlsFiles } from '../../mock/tls.ts';
import { EVENT_PATH } from '../../schema/catalog.ts';
import { defaultTenantFile } from '../../schema/default-tenant.ts';
import type { TenantFile } from '../../schema/tenant.ts';
import { note } from '../output.ts';

interface MockFlags {
  tenant?: string;
  port?: string;
  host?: string;
  tls?: boolean;
  cert?: string;
  key?: string;
  drainDeadline?: string;
  logRequests?: boolean;
  journalSize?: string;
}

/** Settings of `evkit mock`, in the one precedence order (config file and EVKIT_* names in brackets). */
const DEFAULTS = {
  /** [mockTenant, EVKIT_MOCK_TENANT] tenant file; '' = the built-in default. */
  mockTenant: '',
  /** [mockTenantText, EVKIT_MOCK_TENANT_TEXT] the tenant file's content (JSON or YAML), for containers. */
  mockTenantText: '',
  /** [mockPort, EVKIT_MOCK_PORT] 0 = a free port. */
  mockPort: 0,
  /** [mockHost, EVKIT_MOCK_HOST] */
  mockHost: '127.0.0.1',
  /** [mockDrainDeadline, EVKIT_MOCK_DRAIN_DEADLINE] ms allowed to drain on SIGTERM/SIGINT. */
  mockDrainDeadline: DEFAULT_DRAIN_DEADLINE_MS,
  /** [adminToken, EVKIT_ADMIN_TOKEN] a secret: from the environment or the config file, never a flag. */
  adminToken: '',
  /** [mockJournalSize, EVKIT_MOCK_JOURNAL_SIZE] journal entries per tenant; '' = each tenant's `journalSize`. */
  mockJournalSize: '',
};

function parsePort(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new EvkitError('E_USAGE', `--port must be an integer from 0 to 65535, got ${value}`, {
      hint: 'use 0 for a free port',
    });
  }
  return value;
}

/**
 * The tenant file: its content when EVKIT_MOCK_TENANT_TEXT is set (a container's environment; it wins over a
 * path, so an image can name a default file), else the file at the path, else the built-in default.
 */
function resolveTenantFile(path: string, text: string): TenantFile {
  if (text !== '') return parseTenantFileText(text, 'EVKIT_MOCK_TENANT_TEXT');
  return path === '' ? defaultTenantFile() : loadTenantFile(path);
}

function parseJournalSize(value: string): number | undefined {
  if (value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new EvkitError('E_USAGE', `--journal-size must be an integer >= 0, got ${value}`, {
      hint: '0 turns the request journal off',
    });
  }
  return n;
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
    .option(
      '--journal-size <n>',
      "request journal entries kept per tenant (default: the tenant file's journalSize, 1000)",
    )
    .action(async (flags: MockFlags) => {
      const settings = resolveSettings(DEFAULTS, {
        file: readConfigFile(process.cwd()),
        env: readEnvConfig(process.env),
        flags: {
          mockTenant: flags.tenant,
          mockPort: flags.port,
          mockHost: flags.host,
          mockDrainDeadline: flags.drainDeadline,
          mockJournalSize: flags.journalSize,
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
      const tenantFile = resolveTenantFile(String(settings.mockTenant), String(settings.mockTenantText));
      const journalSize = parseJournalSize(String(settings.mockJournalSize));
      const handle = await startMock({
        tenantFile,
        port: parsePort(Number(settings.mockPort)),
        host: settings.mockHost,
        tls,
        ...(settings.adminToken === '' ? {} : { adminToken: settings.adminToken }),
        log: jsonLineSink(process.stderr),
        logRequests: flags.logRequests === true,
        ...(journalSize === undefined ? {} : { journalSize }),
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
