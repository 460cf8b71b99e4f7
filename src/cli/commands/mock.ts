import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readConfigFile, readEnvConfig, resolveSettings } from '../../config.ts';
import { EvkitError } from '../../errors.ts';
import { jsonLineSink } from '../../mock/log.ts';
import {
  DEFAULT_DRAIN_DEADLINE_MS,
  DEFAULT_MAX_CONNECTIONS,
  type DrainReport,
  startMock,
  type UnfinishedNotification,
} from '../../mock/server.ts';
import { loadTenantFile, parseTenantFileText } from '../../mock/tenant-file.ts';
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
  maxConnections?: string;
  journalFile?: string;
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
  /** [mockMaxConnections, EVKIT_MOCK_MAX_CONNECTIONS] open connections allowed; more are closed and counted. */
  mockMaxConnections: DEFAULT_MAX_CONNECTIONS,
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

function parseMaxConnections(value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new EvkitError('E_USAGE', `--max-connections must be a positive integer, got ${value}`, {
      hint: `keep it below the open-file limit (ulimit -n); default ${DEFAULT_MAX_CONNECTIONS}`,
    });
  }
  return value;
}

/**
 * Resolve on the first SIGTERM/SIGINT. A second one aborts `interrupt`: the drain stops waiting and the report
 * of what was left still goes out. A third exits at once (exit 1), for a drain that cannot even report.
 */
function waitForSignal(interrupt: AbortController): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      let seen = 1;
      const again = (): void => {
        seen += 1;
        if (seen === 2) {
          note('evkit mock: second signal, ending the drain now; the report lists what was left');
          interrupt.abort();
          return;
        }
        note('evkit mock: third signal, exiting without a report');
        process.exit(1);
      };
      process.on('SIGTERM', again);
      process.on('SIGINT', again);
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

/** Write the notifications a drain left, one JSON object a line (an empty file when none was left). */
function writeJournal(file: string, list: readonly UnfinishedNotification[]): void {
  try {
    writeFileSync(file, list.map((n) => `${JSON.stringify(n)}\n`).join(''));
    note(`evkit mock: wrote ${list.length} unfinished notification(s) to ${file}`);
  } catch (error) {
    note(`evkit mock: cannot write --journal-file ${file}: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

function describeDrain(report: DrainReport): string {
  const { left } = report;
  return (
    `processed ${report.processed} event(s), delivered ${report.delivered} notification(s), failed ${report.failed}, dropped ${report.dropped}, remaining ${report.remaining}` +
    ` (queued ${left.queued}, in flight ${left.inFlight}, waiting ${left.waiting}, retrying ${left.retrying})${report.interrupted ? ', drain interrupted' : ''}`
  );
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
  await waitForSignal(new AbortController());
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
    .option(
      '--journal-file <file>',
      'at the end of the drain, write every notification still pending to this file (JSON lines)',
    )
    .option(
      '--max-connections <n>',
      `open connections allowed; more are closed at once and counted (default ${DEFAULT_MAX_CONNECTIONS})`,
    )
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
          mockMaxConnections: flags.maxConnections,
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
        maxConnections: parseMaxConnections(Number(settings.mockMaxConnections)),
        ...(journalSize === undefined ? {} : { journalSize }),
      });
      process.stdout.write(`${handle.url}\n`);
      note(
        `evkit mock: POST ${handle.url}${EVENT_PATH}  control: ${handle.url}/__evkit  (SIGTERM or Ctrl-C drains)`,
      );
      const interrupt = new AbortController();
      const signal = await waitForSignal(interrupt);
      note(
        `evkit mock: ${signal}, draining (deadline ${settings.mockDrainDeadline} ms; a second signal ends it with a report)`,
      );
      const journalFile = flags.journalFile;
      const report = await handle.close({
        drainDeadlineMs: Number(settings.mockDrainDeadline),
        signal: interrupt.signal,
        ...(journalFile === undefined ? {} : { onUnfinished: (list) => writeJournal(journalFile, list) }),
      });
      process.stdout.write(`${JSON.stringify({ drain: report })}\n`);
      note(`evkit mock: stopped; ${describeDrain(report)}`);
      // Accepted work that did not finish is reported and fails the run (SIGKILL alone loses it unreported).
      if (report.remaining > 0) process.exitCode = 1;
    });
}
