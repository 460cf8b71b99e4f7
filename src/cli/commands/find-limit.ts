import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EvkitError, EXIT } from '../../errors.ts';
import type { FindLimitOptions, Probe, ProbePlan, ProbeRecord } from '../../limit/index.ts';
import {
  contractVerdicts,
  DEFAULT_FIND_LIMIT_OPTIONS,
  type EngineProbeOptions,
  engineProbe,
  findLimit,
  findLimitReport,
  findLimitText,
  type LimitContract,
} from '../../limit/index.ts';
import type { LoadProgress } from '../../load/index.ts';
import { loadTenantFile, spawnMock } from '../../mock/index.ts';
import { newRunId, writeRunReport } from '../../report/index.ts';
import { defaultTenantFile, rateLimitSchema, type TenantFile } from '../../schema/index.ts';
import { addSettingOptions, resolveCommandSettings, sourceName } from '../../settings.ts';
import { ALL_CONFIG_KEYS, FIND_LIMIT_SETTINGS } from '../command-settings.ts';
import { note } from '../output.ts';

/**
 * How find-limit reaches a limiter: the embedded mock in its own process, and probes that are runs of the
 * harness engine. The tests put a virtual clock in their place (test/find-limit.test.ts).
 */
export interface FindLimitRunner {
  readonly startMock: (
    tenantFile: TenantFile,
    workDir: string,
  ) => Promise<{ readonly url: string; stop(): Promise<void> }>;
  readonly probe: (options: EngineProbeOptions) => Promise<Probe>;
}

const ENGINE_RUNNER: FindLimitRunner = { startMock: spawnMock, probe: engineProbe };

/** `evkit find-limit`: characterise a tenant's rate limiter with successive short runs of the engine. */
export function defineFindLimit(program: Command, runner: FindLimitRunner = ENGINE_RUNNER): void {
  const command = program
    .command('find-limit')
    .description(
      'find the provisioned rate, burst band, 7020 onset, window kind and recovery of a rate limiter',
    );
  addSettingOptions(command, FIND_LIMIT_SETTINGS);
  command.option('--no-burst', 'embedded mock only: turn burst mode off');
  command.action(async (flags: Record<string, unknown>) => {
    // Every setting is checked before anything starts (defaults < config file < EVKIT_* < flags).
    const { values: s, sources } = resolveCommandSettings(FIND_LIMIT_SETTINGS, {
      flags,
      env: process.env,
      cwd: process.cwd(),
      allKeys: ALL_CONFIG_KEYS,
    });
    const named = (key: keyof typeof FIND_LIMIT_SETTINGS) =>
      sourceName(sources[key], FIND_LIMIT_SETTINGS[key].flag ?? key);
    const expectedTps = s.expectedTps;
    const options: FindLimitOptions = {
      ...DEFAULT_FIND_LIMIT_OPTIONS,
      startRate: s.findLimitStartRate,
      maxRate: s.maxRate ?? DEFAULT_FIND_LIMIT_OPTIONS.maxRate,
      budgetSeconds: s.findLimitBudgetSeconds,
      budgetRequests: s.findLimitBudgetRequests,
      tolerance: s.findLimitTolerance,
      onProbe: (r: ProbeRecord) => note(probeLine(r)),
    };
    if (options.startRate > options.maxRate) {
      throw new EvkitError(
        'E_FLAGS',
        `${named('findLimitStartRate')} (${options.startRate}) is above ${named('maxRate')} (${options.maxRate})`,
        { details: { flags: ['--start-rate', '--max-rate'], rule: 'start-below-max' } },
      );
    }
    if (s.expectedBurst && expectedTps === undefined) {
      throw new EvkitError('E_FLAGS', `${named('expectedBurst')} needs --expected-tps`, {
        details: { flags: ['--expected-burst', '--expected-tps'], rule: 'burst-needs-tps' },
      });
    }
    const target = s.target;
    const mockOnly = (
      ['findLimitTps', 'findLimitWindow', 'findLimitCountBy', 'findLimitBurst'] as const
    ).filter((k) => sources[k] !== undefined);
    if (target && mockOnly.length > 0) {
      throw new EvkitError(
        'E_FLAGS',
        `${mockOnly.map(named).join(', ')} set the embedded mock, but ${named('target')} points elsewhere`,
        { details: { flags: mockOnly.map(named), rule: 'contract-needs-tps' } },
      );
    }
    const tenantFile = mockTenantFile(s.findLimitTenant, {
      tps: s.findLimitTps,
      burst: s.findLimitBurst,
      window: s.findLimitWindow,
      countBy: s.findLimitCountBy,
    });
    const mockLimit = tenantFile.tenants[0]?.rateLimit;
    // Against the embedded mock the contract is its own setting, unless one is given.
    const contract: LimitContract | undefined =
      expectedTps !== undefined
        ? { tps: expectedTps, burst: s.expectedBurst, tolerance: options.tolerance }
        : !target && mockLimit
          ? { tps: mockLimit.tps, burst: mockLimit.burst, tolerance: options.tolerance }
          : undefined;

    const reportsDir = resolve(s.reportsDir);
    const runId = newRunId('find-limit');
    const workDir = resolve(reportsDir, runId);
    await mkdir(workDir, { recursive: true });
    // The embedded mock runs in its own process: in the search's process it would share a core with the load.
    let mock: Awaited<ReturnType<FindLimitRunner['startMock']>> | undefined;
    try {
      if (!target) {
        mock = await runner.startMock(tenantFile, workDir);
        note(
          `target: the embedded mock at ${mock.url} (TPS ${mockLimit?.tps}, burst ${mockLimit?.burst}, ${mockLimit?.window} window, counting ${mockLimit?.countBy})`,
        );
      }
      const url = target ?? (mock as { url: string }).url;
      const probe = await runner.probe({
        target: url,
        tenantFile,
        workDir,
        seed: s.seed,
        allowRemote: s.allowRemote,
        maxRate: s.maxRate ?? 0,
        onProgress: progressNote(),
      });
      const startedAt = new Date().toISOString();
      note('engine: harness (find-limit needs per-request samples, which only the harness records)');
      const result = await findLimit(probe, options);
      const verdicts = contract ? contractVerdicts(result, contract, options.maxRate) : [];
      // Since the process started (performance.now() counts from there): what the user waited for.
      const wallTimeMs = Math.round(performance.now());
      const written = await writeRunReport(
        findLimitReport(result, {
          runId,
          startedAt,
          target: url,
          targetLabel: mock ? 'the embedded mock' : url,
          engine: 'harness',
          seed: s.seed,
          wallTimeMs,
          contract: verdicts,
          config: {
            startRate: options.startRate,
            maxRate: options.maxRate,
            budgetSeconds: options.budgetSeconds,
            budgetRequests: options.budgetRequests,
            tolerance: options.tolerance,
            eventsProbe: options.eventsProbe,
            target: mock ? 'embedded mock' : url,
            ...(mockLimit && mock
              ? {
                  mockTps: mockLimit.tps,
                  mockBurst: mockLimit.burst,
                  mockWindow: mockLimit.window,
                  mockCountBy: mockLimit.countBy,
                }
              : {}),
            ...(contract ? { expectedTps: contract.tps, expectedBurst: contract.burst } : {}),
          },
        }),
        reportsDir,
      );
      process.stdout.write(
        `${findLimitText(result, { wallTimeMs, contract: verdicts })}\nreport: ${written.files.html}\n`,
      );
      const failed = result.anomalies.length > 0 || !result.provisioned || verdicts.some((v) => !v.ok);
      process.exitCode = failed ? EXIT.checkFailed : EXIT.ok;
    } finally {
      await mock?.stop();
    }
  });
}

/** The embedded mock's tenant file: from --tenant, with --tps/--burst/--window/--count-by on its first tenant. */
function mockTenantFile(
  tenant: string | undefined,
  over: {
    tps: number | undefined;
    burst: boolean | undefined;
    window: string | undefined;
    countBy: string | undefined;
  },
): TenantFile {
  const file = tenant ? loadTenantFile(tenant) : defaultTenantFile();
  const first = file.tenants[0];
  if (first) {
    first.rateLimit = rateLimitSchema.parse({
      ...first.rateLimit,
      ...(over.tps !== undefined ? { tps: over.tps } : {}),
      ...(over.burst !== undefined ? { burst: over.burst } : {}),
      ...(over.window !== undefined ? { window: over.window } : {}),
      ...(over.countBy !== undefined ? { countBy: over.countBy } : {}),
    });
  }
  return file;
}

/** One line per finished probe: what it offered and what came back. */
function probeLine(r: ProbeRecord): string {
  const codes = Object.entries(r.byCode)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, n]) => `${c}×${n}`)
    .join(' ');
  return `  probe ${r.plan.label}: ${codes} (burst ${r.burst}) in ${(r.durationMs / 1000).toFixed(1)} s`;
}

/** Progress while a probe runs: at most one line a second, naming the probe. */
function progressNote(): (plan: ProbePlan, p: LoadProgress) => void {
  let last = 0;
  return (plan, p) => {
    const now = Date.now();
    if (now - last < 1000) return;
    last = now;
    const codes = Object.entries(p.byCode)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([c, n]) => `${c}×${n}`)
      .join(' ');
    note(
      `    ${plan.label}: ${(p.elapsedMs / 1000).toFixed(0)} s, sent ${p.sent}${codes ? ` ${codes}` : ''}`,
    );
  };
}
