import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EvkitError } from '../../errors.ts';
import {
  type DrainReport,
  jsonLineSink,
  loadTenantFile,
  parseTenantFileText,
  readTlsFiles,
  startMock,
  type UnfinishedNotification,
} from '../../mock/index.ts';
import { PROXY_RECORDS_PATH, startProxy } from '../../probe/index.ts';
import type { TenantFile } from '../../schema/index.ts';
import { defaultTenantFile, EVENT_PATH } from '../../schema/index.ts';
import { addSettingOptions, resolveCommandSettings } from '../../settings.ts';
import { ALL_CONFIG_KEYS, MOCK_SETTINGS } from '../command-settings.ts';
import { note } from '../output.ts';
import { parsePositive } from './numbers.ts';

interface MockFlags {
  tls?: boolean;
  cert?: string;
  key?: string;
  logRequests?: boolean;
  proxy?: string;
  allowRemote?: boolean;
  rate?: string;
  record?: string;
  journalFile?: string;
}

/**
 * The tenant file: its content when EVKIT_MOCK_TENANT_TEXT is set (a container's environment; it wins over a
 * path, so an image can name a default file), else the file at the path, else the built-in default.
 */
function resolveTenantFile(path: string | undefined, text: string | undefined): TenantFile {
  if (text !== undefined && text !== '') return parseTenantFileText(text, 'EVKIT_MOCK_TENANT_TEXT');
  return path === undefined ? defaultTenantFile() : loadTenantFile(path);
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
    ` (queued ${left.queued}, in flight ${left.inFlight}, waiting ${left.waiting}, retrying ${left.retrying}), ${report.connectionsCut} connection(s) cut${report.interrupted ? ', drain interrupted' : ''}`
  );
}

/** The proxy's flags go with --proxy only, and the proxy serves plain HTTP on loopback by default. */
function checkProxyFlags(flags: MockFlags): void {
  const proxyOnly = (['allowRemote', 'rate', 'record'] as const).filter((f) => flags[f] !== undefined);
  if (flags.proxy === undefined && proxyOnly.length > 0) {
    const named = proxyOnly.map((f) => `--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    throw new EvkitError('E_FLAGS', `${named.join(', ')} apply only with --proxy`, {
      details: { flags: named, rule: 'proxy-only' },
    });
  }
  if (flags.proxy !== undefined && (flags.tls === true || flags.cert !== undefined)) {
    throw new EvkitError('E_FLAGS', '--proxy serves plain HTTP: --tls and --cert do not apply', {
      details: { flags: ['--proxy', '--tls', '--cert'], rule: 'proxy-plain-http' },
    });
  }
}

/** `evkit mock --proxy`: the validating recorder in front of a real tenant, until SIGTERM/SIGINT. */
async function runProxy(
  flags: MockFlags,
  upstream: string,
  tenantFile: TenantFile,
  settings: { mockPort: number; mockHost: string },
): Promise<void> {
  const handle = await startProxy({
    upstream,
    allowRemote: flags.allowRemote === true,
    rate: parsePositive('--rate', flags.rate ?? '1'),
    tenantFile,
    port: settings.mockPort,
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
  const command = program
    .command('mock')
    .description(
      'run the mock Event API endpoint; prints its URL; SIGTERM or Ctrl-C drains the queue and reports',
    );
  addSettingOptions(command, MOCK_SETTINGS)
    .option('--tls', 'serve HTTPS with a self-signed certificate generated at start')
    .option('--cert <file>', 'serve HTTPS with this PEM certificate (with --key)')
    .option('--key <file>', 'the PEM private key of --cert')
    .option('--log-requests', 'log one JSON line per event request to stderr (costs throughput)')
    .option('--proxy <url>', 'validating recorder: forward event requests to this Event API (docs/probe.md)')
    .option('--allow-remote', 'with --proxy: allow an upstream outside loopback')
    .option('--rate <n>', 'with --proxy: forward at most this many requests per second (default: 1)')
    .option('--record <file>', 'with --proxy: write every exchange as one NDJSON line')
    .option(
      '--journal-file <file>',
      'at the end of the drain, write every notification still pending to this file (JSON lines)',
    )
    .action(async (flags: MockFlags) => {
      const { values: settings } = resolveCommandSettings(MOCK_SETTINGS, {
        flags: flags as Record<string, unknown>,
        env: process.env,
        cwd: process.cwd(),
        allKeys: ALL_CONFIG_KEYS,
      });
      if ((flags.cert === undefined) !== (flags.key === undefined)) {
        throw new EvkitError('E_FLAGS', '--cert and --key go together', {
          details: { flags: ['--cert', '--key'], rule: 'cert-with-key' },
        });
      }
      const tls =
        flags.cert !== undefined && flags.key !== undefined
          ? readTlsFiles(flags.cert, flags.key)
          : flags.tls === true;
      const tenantFile = resolveTenantFile(settings.mockTenant, settings.mockTenantText);
      checkProxyFlags(flags);
      if (flags.proxy !== undefined) {
        await runProxy(flags, flags.proxy, tenantFile, settings);
        return;
      }
      const handle = await startMock({
        tenantFile,
        port: settings.mockPort,
        host: settings.mockHost,
        tls,
        ...(settings.adminToken === undefined ? {} : { adminToken: settings.adminToken }),
        log: jsonLineSink(process.stderr),
        logRequests: flags.logRequests === true,
        maxConnections: settings.mockMaxConnections,
        ...(settings.mockJournalSize === undefined ? {} : { journalSize: settings.mockJournalSize }),
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
        drainDeadlineMs: settings.mockDrainDeadline,
        signal: interrupt.signal,
        ...(journalFile === undefined ? {} : { onUnfinished: (list) => writeJournal(journalFile, list) }),
      });
      process.stdout.write(`${JSON.stringify({ drain: report })}\n`);
      note(`evkit mock: stopped; ${describeDrain(report)}`);
      // Accepted work that did not finish is reported and fails the run (SIGKILL alone loses it unreported).
      if (report.remaining > 0) process.exitCode = 1;
    });
}
