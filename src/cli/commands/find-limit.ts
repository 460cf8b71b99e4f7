import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../../errors.ts';
import { engineProbe } from '../../limit/engine-probe.ts';
import { findLimitReport, findLimitText } from '../../limit/report.ts';
import { DEFAULT_FIND_LIMIT_OPTIONS, findLimit } from '../../limit/search.ts';
import { type MockProcess, spawnMock } from '../../mock/child.ts';
import { loadTenantFile } from '../../mock/tenant-file.ts';
import { newRunId, writeRunReport } from '../../report/write.ts';
import { defaultTenantFile } from '../../schema/default-tenant.ts';
import { rateLimitSchema, type TenantFile } from '../../schema/tenant.ts';
import { note } from '../output.ts';
import { parsePositive } from './numbers.ts';

interface FindLimitFlags {
  target?: string;
  tenant?: string;
  tps?: string;
  burst?: boolean;
  window?: string;
  countBy?: string;
  startRate?: string;
  maxRate?: string;
  budgetSeconds?: string;
  budgetRequests?: string;
  tolerance?: string;
  allowRemote?: boolean;
  seed?: string;
  reportsDir?: string;
}

/** The embedded mock's tenant file: from --tenant, with --tps/--burst/--window/--count-by applied to its first tenant. */
function mockTenantFile(flags: FindLimitFlags): TenantFile {
  const file = flags.tenant ? loadTenantFile(flags.tenant) : defaultTenantFile();
  const first = file.tenants[0];
  if (first) {
    first.rateLimit = rateLimitSchema.parse({
      ...first.rateLimit,
      ...(flags.tps ? { tps: parsePositive('--tps', flags.tps) } : {}),
      ...(flags.burst !== undefined ? { burst: flags.burst } : {}),
      ...(flags.window ? { window: flags.window } : {}),
      ...(flags.countBy ? { countBy: flags.countBy } : {}),
    });
  }
  return file;
}

/** `evkit find-limit`: characterise a tenant's rate limiter with successive short runs of the engine. */
export function defineFindLimit(program: Command): void {
  program
    .command('find-limit')
    .description(
      'find the provisioned rate, burst band, 7020 onset, window kind and recovery of a rate limiter',
    )
    .option('--target <url>', 'base URL of the Event API (default: start the embedded mock endpoint)')
    .option('--tenant <file>', 'tenant file of the embedded mock (and of the generated requests)')
    .option('--tps <n>', 'embedded mock only: its provisioned TPS')
    .option(
      '--burst',
      "embedded mock only: turn burst mode on (an opt-in: it is documented for the Messaging API only; default: the tenant file's)",
    )
    .option('--no-burst', 'embedded mock only: turn burst mode off')
    .option('--window <kind>', 'embedded mock only: fixed or sliding')
    .option('--count-by <what>', 'embedded mock only: requests or events')
    .option('--start-rate <n>', 'first probe rate, req/s', String(DEFAULT_FIND_LIMIT_OPTIONS.startRate))
    .option('--max-rate <n>', 'never offer more than this, req/s (required with --allow-remote)')
    .option(
      '--budget-seconds <n>',
      'test-time budget of all probes',
      String(DEFAULT_FIND_LIMIT_OPTIONS.budgetSeconds),
    )
    .option(
      '--budget-requests <n>',
      'request budget of all probes',
      String(DEFAULT_FIND_LIMIT_OPTIONS.budgetRequests),
    )
    .option(
      '--tolerance <fraction>',
      'stop when the provisioned rate is known to this fraction',
      String(DEFAULT_FIND_LIMIT_OPTIONS.tolerance),
    )
    .option('--allow-remote', 'allow a target outside loopback (needs --max-rate)')
    .option('--seed <n>', 'seed of the generated requests', '1')
    .option('--reports-dir <dir>', 'where the report folder goes', 'reports')
    .action(async (flags: FindLimitFlags) => {
      const tenantFile = mockTenantFile(flags);
      const options = {
        ...DEFAULT_FIND_LIMIT_OPTIONS,
        startRate: parsePositive('--start-rate', flags.startRate ?? ''),
        maxRate: flags.maxRate
          ? parsePositive('--max-rate', flags.maxRate)
          : DEFAULT_FIND_LIMIT_OPTIONS.maxRate,
        budgetSeconds: parsePositive('--budget-seconds', flags.budgetSeconds ?? ''),
        budgetRequests: parsePositive('--budget-requests', flags.budgetRequests ?? ''),
        tolerance: parsePositive('--tolerance', flags.tolerance ?? ''),
        onProbe: (r: {
          plan: { label: string };
          byCode: Record<string, number>;
          burst: number;
          durationMs: number;
        }) =>
          note(
            `  probe ${r.plan.label}: ${Object.entries(r.byCode)
              .map(([c, n]) => `${c}×${n}`)
              .join(' ')} (burst ${r.burst}) in ${(r.durationMs / 1000).toFixed(1)} s`,
          ),
      };
      const reportsDir = resolve(flags.reportsDir ?? 'reports');
      const runId = newRunId('find-limit');
      const workDir = resolve(reportsDir, runId);
      await mkdir(workDir, { recursive: true });
      // The embedded mock runs in its own process: in the search's process it would share a core with the load.
      let mock: MockProcess | undefined;
      try {
        if (!flags.target) {
          mock = await spawnMock(tenantFile, workDir);
          const rl = tenantFile.tenants[0]?.rateLimit;
          note(
            `target: the embedded mock at ${mock.url} (TPS ${rl?.tps}, burst ${rl?.burst}, ${rl?.window} window, counting ${rl?.countBy})`,
          );
        }
        const target = flags.target ?? (mock as MockProcess).url;
        const probe = await engineProbe({
          target,
          tenantFile,
          workDir,
          seed: Number(flags.seed ?? 1),
          allowRemote: flags.allowRemote === true,
          maxRate: flags.maxRate ? options.maxRate : 0,
        });
        const startedAt = new Date().toISOString();
        note('engine: harness (find-limit needs per-request samples, which only the harness records)');
        const result = await findLimit(probe, options);
        const written = await writeRunReport(
          findLimitReport(result, {
            runId,
            startedAt,
            target,
            engine: 'harness',
            seed: Number(flags.seed ?? 1),
            config: {
              ...options,
              onProbe: undefined,
              target,
              mock: mock ? tenantFile.tenants[0]?.rateLimit : undefined,
            },
          }),
          reportsDir,
        );
        process.stdout.write(`${findLimitText(result)}\nreport: ${written.files.html}\n`);
        process.exitCode = result.anomalies.length > 0 || !result.provisioned ? EXIT.checkFailed : EXIT.ok;
      } finally {
        await mock?.stop();
      }
    });
}
