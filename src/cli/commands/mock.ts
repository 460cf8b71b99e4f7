import type { Command } from 'commander';
import { EvkitError } from '../../errors.ts';
import { jsonLineSink } from '../../mock/log.ts';
import { type DrainReport, startMock } from '../../mock/server.ts';
import { loadTenantFile } from '../../mock/tenant-file.ts';
import { readTlsFiles } from '../../mock/tls.ts';
import { EVENT_PATH } from '../../schema/catalog.ts';
import { defaultTenantFile } from '../../schema/default-tenant.ts';
import { ALL_CONFIG_KEYS, MOCK_SETTINGS } from '../command-settings.ts';
import { note } from '../output.ts';
import { addSettingOptions, resolveCommandSettings } from '../settings.ts';

interface MockFlags {
  tls?: boolean;
  cert?: string;
  key?: string;
  logRequests?: boolean;
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
    .action(async (flags: MockFlags) => {
      const { values: settings } = resolveCommandSettings(MOCK_SETTINGS, {
        flags: flags as Record<string, unknown>,
        env: process.env,
        cwd: process.cwd(),
        allKeys: ALL_CONFIG_KEYS,
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
        settings.mockTenant === undefined ? defaultTenantFile() : loadTenantFile(settings.mockTenant);
      const handle = await startMock({
        tenantFile,
        port: settings.mockPort,
        host: settings.mockHost,
        tls,
        ...(settings.adminToken === undefined ? {} : { adminToken: settings.adminToken }),
        log: jsonLineSink(process.stderr),
        logRequests: flags.logRequests === true,
      });
      process.stdout.write(`${handle.url}\n`);
      note(
        `evkit mock: POST ${handle.url}${EVENT_PATH}  control: ${handle.url}/__evkit  (SIGTERM or Ctrl-C drains)`,
      );
      const signal = await waitForSignal();
      note(`evkit mock: ${signal}, draining (deadline ${settings.mockDrainDeadline} ms)`);
      const report = await handle.close({ drainDeadlineMs: settings.mockDrainDeadline });
      process.stdout.write(`${JSON.stringify({ drain: report })}\n`);
      note(`evkit mock: stopped; ${describeDrain(report)}`);
      // Accepted work that did not finish is reported and fails the run: nothing is lost silently.
      if (report.remaining > 0) process.exitCode = 1;
    });
}
