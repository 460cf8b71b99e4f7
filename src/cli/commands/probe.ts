import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { EvkitError, EXIT } from '../../errors.ts';
import { loadTenantFile } from '../../mock/index.ts';
import {
  type BehaviourVerdict,
  guardProbeTarget,
  judge,
  observedTenantFile,
  type ProbeContext,
  type ProbeCredentials,
  type ProbeExchange,
  plannedRequest,
  planText,
  planWallTimeMs,
  probePlan,
  probeReport,
  rejudgeRecording,
  runProbes,
  verdictsText,
} from '../../probe/index.ts';

import { newRunId, writeRunReport } from '../../report/index.ts';
import type { TenantFile } from '../../schema/index.ts';
import { defaultTenantFile } from '../../schema/index.ts';
import { addSettingOptions, resolveCommandSettings } from '../../settings.ts';
import { ALL_CONFIG_KEYS, PROBE_SETTINGS } from '../command-settings.ts';
import { note } from '../output.ts';
import { parsePositive } from './numbers.ts';

interface ProbeFlags {
  target?: string;
  tenant?: string;
  rate?: string;
  budgetRequests?: string;
  tps?: string;
  evtid?: string;
  mandatoryEvtid?: string;
  allowRemote?: boolean;
  dryRun?: boolean;
  writeTenant?: string;
  from?: string;
  reportsDir: string;
}

/** Credentials from the environment only: EVKIT_KEY, and EVKIT_JWT_SECRET with EVKIT_SERVICE_ID. */
export function probeCredentials(env: NodeJS.ProcessEnv): ProbeCredentials {
  const secret = env.EVKIT_JWT_SECRET;
  const serviceId = env.EVKIT_SERVICE_ID;
  if ((secret === undefined || secret === '') !== (serviceId === undefined || serviceId === '')) {
    throw new EvkitError('E_CREDENTIALS', 'EVKIT_JWT_SECRET and EVKIT_SERVICE_ID go together', {
      details: { variables: ['EVKIT_JWT_SECRET', 'EVKIT_SERVICE_ID'], problem: 'probe-jwt-pair' },
    });
  }
  return {
    key: env.EVKIT_KEY === '' ? undefined : env.EVKIT_KEY,
    jwt: secret && serviceId ? { secret, serviceId } : undefined,
  };
}

function parseTps(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2) {
    throw new EvkitError('E_USAGE', `--tps must be an integer of at least 2, got "${value}"`, {
      details: { flag: '--tps', example: "20 (the tenant's provisioned TPS)", value },
    });
  }
  return n;
}

/** The probe context: event ids from the flags or the tenant file in use, the TPS from --tps. */
function probeContext(flags: ProbeFlags, file: TenantFile, credentials: ProbeCredentials): ProbeContext {
  const events = file.tenants[0]?.events ?? [];
  const evtid = flags.evtid ?? events.find((e) => e.mandatoryParameters.length === 0)?.evtid;
  if (evtid === undefined) {
    throw new EvkitError('E_NO_EVTID', 'no event id to probe with');
  }
  return {
    evtid,
    mandatoryEvtid: flags.mandatoryEvtid ?? events.find((e) => e.mandatoryParameters.length > 0)?.evtid,
    tps: flags.tps === undefined ? undefined : parseTps(flags.tps),
    jwt: credentials.jwt !== undefined,
  };
}

function writeTenant(path: string, file: TenantFile): void {
  const text = /\.ya?ml$/i.test(path) ? stringify(file) : `${JSON.stringify(file, null, 2)}\n`;
  writeFileSync(path, text, 'utf8');
  note(`tenant file written: ${path} (evkit mock --tenant ${path})`);
}

function closing(verdicts: readonly BehaviourVerdict[], used: number, wallMs: number, rate: number): string {
  const count = (v: BehaviourVerdict['verdict']) => verdicts.filter((x) => x.verdict === v).length;
  return `${verdictsText(verdicts)}\nrequests used: ${used}; plan at ${rate} req/s takes up to ${(wallMs / 1000).toFixed(1)} s; verdicts: ${count('matches')} match, ${count('differs')} differ, ${count('inconclusive')} inconclusive\n`;
}

/** `evkit probe`: a paced, budgeted conformance run that tells the undocumented behaviours of a target apart. */
export function defineProbe(program: Command): void {
  const command = program
    .command('probe')
    .description(
      'send a fixed, documented set of probe requests to an Event API endpoint and judge each undocumented behaviour against the tenant file',
    );
  addSettingOptions(command, PROBE_SETTINGS);
  command
    .option('--target <url>', 'base URL of the Event API (non-loopback needs --allow-remote)')
    .option('--tenant <file>', 'the tenant file in use (default: the built-in one)')
    .option('--budget-requests <n>', 'send at most this many requests (default: the probe set once)')
    .option('--tps <n>', 'the provisioned TPS: adds the rate-limit probes (count, burst, window)')
    .option('--evtid <id>', 'an event without mandatory parameters (default: from the tenant file)')
    .option('--mandatory-evtid <id>', 'an event with a mandatory parameter (default: from the tenant file)')
    .option('--allow-remote', 'allow a target outside loopback')
    .option('--dry-run', 'print the plan and send nothing')
    .option('--write-tenant <file>', 'write a tenant file whose settings match what was observed')
    .option('--from <recording>', 're-judge an NDJSON recording (of evkit mock --proxy) offline')
    .option('--reports-dir <dir>', 'where the report folder goes', 'reports')
    .action(async (flags: ProbeFlags) => {
      const file = flags.tenant ? loadTenantFile(flags.tenant) : defaultTenantFile();
      if (flags.from !== undefined) {
        const result = await rejudgeRecording(readFileSync(flags.from, 'utf8'), file);
        process.stdout.write(result.text);
        process.exitCode = result.disagreements > 0 || result.nonConforming > 0 ? EXIT.checkFailed : EXIT.ok;
        return;
      }
      if (flags.target === undefined) {
        throw new EvkitError('E_NO_TARGET', 'evkit probe needs --target <base URL> (or --from <recording>)', {
          details: { command: 'probe' },
        });
      }
      // Its own names (probeRate, EVKIT_PROBE_RATE): an EVKIT_RATE meant for load runs never speeds up a probe.
      const { values: settings } = resolveCommandSettings(PROBE_SETTINGS, {
        flags: { ...flags },
        env: process.env,
        cwd: process.cwd(),
        allKeys: ALL_CONFIG_KEYS,
      });
      const rate = settings.probeRate;
      guardProbeTarget(flags.target, flags.allowRemote === true, rate, 'probe');
      const credentials = probeCredentials(process.env);
      const context = probeContext(flags, file, credentials);
      const plan = probePlan(context);
      const budget =
        flags.budgetRequests === undefined
          ? plan.length
          : parsePositive('--budget-requests', flags.budgetRequests);
      const now = Date.now();
      const shown = await Promise.all(
        plan.map((p) => plannedRequest(p, flags.target as string, credentials, now, true)),
      );
      const wallMs = planWallTimeMs(plan.slice(0, budget), rate);
      const header = `plan: ${plan.length} request(s), budget ${budget}, at most ${rate} req/s, up to ${(wallMs / 1000).toFixed(1)} s; only POST ${shown[0]?.url ?? ''}`;
      if (flags.dryRun) {
        process.stdout.write(`${header}\n${planText(shown, plan)}\n`);
        note('dry run: nothing sent');
        return;
      }
      note(`${header}\n${planText(shown, plan)}`);
      if (credentials.key === undefined) {
        throw new EvkitError(
          'E_CREDENTIALS',
          'EVKIT_KEY is not set: the probes need a service key of the tenant',
          { details: { variables: ['EVKIT_KEY'], problem: 'probe-no-key' } },
        );
      }
      const startedAt = new Date();
      const exchanges: ProbeExchange[] = await runProbes({
        target: flags.target,
        plan,
        credentials,
        rate,
        budget,
        onAnswer: (e) => note(`  ${e.probeId}: ${e.answer.status} ${e.alternative ?? '(no alternative)'}`),
      });
      const verdicts = judge(exchanges, plan, file);
      const runId = newRunId('probe');
      const written = await writeRunReport(
        probeReport({
          runId,
          startedAt: startedAt.toISOString(),
          durationMs: Date.now() - startedAt.getTime(),
          target: flags.target,
          config: { rate, budget, ...context, tenant: flags.tenant ?? '(built-in default)' },
          exchanges,
          verdicts,
          requestsPlanned: plan.length,
          planWallTimeMs: wallMs,
          rate,
        }),
        resolve(flags.reportsDir),
      );
      if (flags.writeTenant !== undefined) {
        writeTenant(flags.writeTenant, observedTenantFile(file, verdicts, context.tps));
      }
      process.stdout.write(closing(verdicts, exchanges.length, wallMs, rate));
      process.stdout.write(`report: ${written.files.html}\n`);
      process.exitCode = verdicts.some((v) => v.verdict === 'differs') ? EXIT.checkFailed : EXIT.ok;
    });
}
