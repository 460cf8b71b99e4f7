import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILES, ENV_PREFIX, readConfigFile, readEnvConfig, resolveSettings } from '../../config.ts';
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
import { note } from '../output.ts';

/**
 * Settings of `evkit find-limit`: config-file key (camelCase) and EVKIT_* name follow from the key. Shared
 * keys (target, seed, maxRate, allowRemote, reportsDir, expectedTps) mean what they mean for `evkit load`;
 * the others start with findLimit (EVKIT_FIND_LIMIT_*). Values stay text here and are checked below, so an
 * error names the flag, variable or key the user wrote.
 */
const DEFAULTS = {
  target: '',
  findLimitTenant: '',
  findLimitTps: '',
  findLimitBurst: true,
  findLimitWindow: '',
  findLimitCountBy: '',
  findLimitStartRate: String(DEFAULT_FIND_LIMIT_OPTIONS.startRate),
  maxRate: '',
  findLimitBudgetSeconds: String(DEFAULT_FIND_LIMIT_OPTIONS.budgetSeconds),
  findLimitBudgetRequests: String(DEFAULT_FIND_LIMIT_OPTIONS.budgetRequests),
  findLimitTolerance: String(DEFAULT_FIND_LIMIT_OPTIONS.tolerance),
  expectedTps: '',
  expectedBurst: false,
  allowRemote: false,
  seed: '1',
  reportsDir: 'reports',
};
type Key = keyof typeof DEFAULTS;

/** The config-file keys find-limit reads (the other commands' unknown-key check knows them by this list). */
export const FIND_LIMIT_CONFIG_KEYS = Object.keys(DEFAULTS) as readonly Key[];

/** The flag of each setting, as the user types it. */
const FLAG = {
  target: '--target',
  findLimitTenant: '--tenant',
  findLimitTps: '--tps',
  findLimitBurst: '--burst/--no-burst',
  findLimitWindow: '--window',
  findLimitCountBy: '--count-by',
  findLimitStartRate: '--start-rate',
  maxRate: '--max-rate',
  findLimitBudgetSeconds: '--budget-seconds',
  findLimitBudgetRequests: '--budget-requests',
  findLimitTolerance: '--tolerance',
  expectedTps: '--expected-tps',
  expectedBurst: '--expected-burst',
  allowRemote: '--allow-remote',
  seed: '--seed',
  reportsDir: '--reports-dir',
} as const satisfies Record<Key, string>;

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
  expectedTps?: string;
  expectedBurst?: boolean;
  allowRemote?: boolean;
  seed?: string;
  reportsDir?: string;
}

/** Resolved settings, and where each came from (for messages that name what the user wrote). */
interface Resolved {
  readonly s: { [K in Key]: string | boolean };
  readonly source: (key: Key) => string;
}

function resolveFindLimitSettings(flags: FindLimitFlags, cwd: string, env: NodeJS.ProcessEnv): Resolved {
  const given: Record<Key, unknown> = {
    target: flags.target,
    findLimitTenant: flags.tenant,
    findLimitTps: flags.tps,
    // With both --burst and --no-burst, commander leaves it undefined unless one is given.
    findLimitBurst: flags.burst,
    findLimitWindow: flags.window,
    findLimitCountBy: flags.countBy,
    findLimitStartRate: flags.startRate,
    maxRate: flags.maxRate,
    findLimitBudgetSeconds: flags.budgetSeconds,
    findLimitBudgetRequests: flags.budgetRequests,
    findLimitTolerance: flags.tolerance,
    expectedTps: flags.expectedTps,
    expectedBurst: flags.expectedBurst,
    allowRemote: flags.allowRemote,
    seed: flags.seed,
    reportsDir: flags.reportsDir,
  };
  const file = readConfigFile(cwd);
  // readConfigFile reads the first of these that exists.
  const fileName = CONFIG_FILES.find((name) => existsSync(join(cwd, name))) ?? CONFIG_FILES[0];
  const envConfig = readEnvConfig(env);
  // Numbers from a JSON config file stay numbers: turn them to text, checked below like flags.
  const text = (layer: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(layer).map(([k, v]) => [
        k,
        typeof v === 'number' && typeof DEFAULTS[k as Key] === 'string' ? String(v) : v,
      ]),
    );
  const s = resolveSettings(DEFAULTS, { file: text(file), env: envConfig, flags: given }) as Resolved['s'];
  const envName = (key: Key) => `${ENV_PREFIX}${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
  const source = (key: Key): string => {
    if (given[key] !== undefined) return FLAG[key];
    if (envConfig[key] !== undefined) return envName(key);
    if (file[key] !== undefined) return `"${key}" in ${fileName}`;
    return `${FLAG[key]} (default)`;
  };
  return { s, source };
}

/** Checks of the text settings: a usage error names the flag (or variable, or key), the value and the fix. */
function makeParsers({ s, source }: Resolved) {
  const raw = (key: Key) => String(s[key]).trim();
  const fail = (key: Key, want: string, example: string): never => {
    throw new EvkitError('E_USAGE', `${source(key)} must be ${want}, got "${raw(key)}"`, {
      details: { flag: FLAG[key], example, value: raw(key) },
    });
  };
  const number = (key: Key, want: string, example: string, ok: (n: number) => boolean): number => {
    const n = Number(raw(key));
    if (raw(key) === '' || !Number.isFinite(n) || !ok(n)) return fail(key, want, example);
    return n;
  };
  return {
    positive: (key: Key, example: string) => number(key, 'a number > 0', example, (n) => n > 0),
    whole: (key: Key, min: number, example: string) =>
      number(key, `a whole number >= ${min}`, example, (n) => Number.isSafeInteger(n) && n >= min),
    fraction: (key: Key, example: string) =>
      number(key, 'a fraction between 0 and 1 (exclusive)', example, (n) => n > 0 && n < 1),
    choice: <T extends string>(key: Key, choices: readonly T[]): T | undefined => {
      const v = raw(key);
      if (v === '') return undefined;
      if (!(choices as readonly string[]).includes(v))
        fail(key, `one of ${choices.join(', ')}`, choices[0] ?? '');
      return v as T;
    },
    optional: (key: Key) => raw(key) !== '',
  };
}

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
    .option('--start-rate <n>', `first probe rate, req/s (default ${DEFAULT_FIND_LIMIT_OPTIONS.startRate})`)
    .option('--max-rate <n>', 'never offer more than this, req/s (required with --allow-remote)')
    .option(
      '--budget-seconds <n>',
      `test-time budget of all probes (default ${DEFAULT_FIND_LIMIT_OPTIONS.budgetSeconds})`,
    )
    .option(
      '--budget-requests <n>',
      `request budget of all probes (default ${DEFAULT_FIND_LIMIT_OPTIONS.budgetRequests})`,
    )
    .option(
      '--tolerance <fraction>',
      `stop when the provisioned rate is known to this fraction (default ${DEFAULT_FIND_LIMIT_OPTIONS.tolerance})`,
    )
    .option(
      '--expected-tps <n>',
      'the contracted TPS: exit 1 when the tenant gives less, or more than TPS + band',
    )
    .option(
      '--expected-burst',
      'the contract includes burst mode (band min(0.5 × TPS, 100)); with --expected-tps',
    )
    .option('--allow-remote', 'allow a target outside loopback (needs --max-rate)')
    .option('--seed <n>', 'seed of the generated requests (default 1)')
    .option('--reports-dir <dir>', 'where the report folder goes (default reports)')
    .action(async (flags: FindLimitFlags) => {
      const resolved = resolveFindLimitSettings(flags, process.cwd(), process.env);
      const { s } = resolved;
      const parse = makeParsers(resolved);
      // Every setting is checked before anything starts.
      const window = parse.choice('findLimitWindow', ['fixed', 'sliding'] as const);
      const countBy = parse.choice('findLimitCountBy', ['requests', 'events'] as const);
      const tps = parse.optional('findLimitTps') ? parse.positive('findLimitTps', '100') : undefined;
      const seed = parse.whole('seed', 0, '1');
      const maxRate = parse.optional('maxRate') ? parse.positive('maxRate', '1000') : undefined;
      const expectedTps = parse.optional('expectedTps') ? parse.positive('expectedTps', '200') : undefined;
      const options: FindLimitOptions = {
        ...DEFAULT_FIND_LIMIT_OPTIONS,
        startRate: parse.positive('findLimitStartRate', '20'),
        maxRate: maxRate ?? DEFAULT_FIND_LIMIT_OPTIONS.maxRate,
        budgetSeconds: parse.positive('findLimitBudgetSeconds', '60'),
        budgetRequests: parse.whole('findLimitBudgetRequests', 1, '300000'),
        tolerance: parse.fraction('findLimitTolerance', '0.03'),
        onProbe: (r: ProbeRecord) => note(probeLine(r)),
      };
      if (options.startRate > options.maxRate) {
        throw new EvkitError(
          'E_FLAGS',
          `${resolved.source('findLimitStartRate')} (${options.startRate}) is above ${resolved.source('maxRate')} (${options.maxRate})`,
          { details: { flags: ['--start-rate', '--max-rate'], rule: 'start-below-max' } },
        );
      }
      if (s.expectedBurst === true && expectedTps === undefined) {
        throw new EvkitError('E_FLAGS', `${resolved.source('expectedBurst')} needs --expected-tps`, {
          details: { flags: ['--expected-burst', '--expected-tps'], rule: 'burst-needs-tps' },
        });
      }
      const target = String(s.target) || undefined;
      const mockOnly = (['findLimitTps', 'findLimitWindow', 'findLimitCountBy'] as const).filter((k) =>
        parse.optional(k),
      );
      const burstGiven = !resolved.source('findLimitBurst').endsWith('(default)');
      if (target && (mockOnly.length > 0 || burstGiven)) {
        const names = [...mockOnly, ...(burstGiven ? ['findLimitBurst' as const] : [])];
        throw new EvkitError(
          'E_FLAGS',
          `${names.map(resolved.source).join(', ')} set the embedded mock, but ${resolved.source('target')} points elsewhere`,
          { details: { flags: names.map(resolved.source), rule: 'contract-needs-tps' } },
        );
      }
      const tenantFile = mockTenantFile(String(s.findLimitTenant), {
        tps,
        burst: burstGiven ? s.findLimitBurst === true : undefined,
        window,
        countBy,
      });
      const mockLimit = tenantFile.tenants[0]?.rateLimit;
      // Against the embedded mock the contract is its own setting, unless one is given.
      const contract: LimitContract | undefined =
        expectedTps !== undefined
          ? { tps: expectedTps, burst: s.expectedBurst === true, tolerance: options.tolerance }
          : !target && mockLimit
            ? { tps: mockLimit.tps, burst: mockLimit.burst, tolerance: options.tolerance }
            : undefined;

      const reportsDir = resolve(String(s.reportsDir));
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
          seed,
          allowRemote: s.allowRemote === true,
          maxRate: maxRate ?? 0,
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
            seed,
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
  tenant: string,
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
