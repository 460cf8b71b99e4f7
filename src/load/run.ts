import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, resolve } from 'node:path';
import { type Case, generateCases } from '../../generators/index.ts';
import { type LoadConfig, readConfig } from '../../load/lib/config.ts';
import { ENV, SCRIPTS, type ScriptName } from '../../load/lib/names.ts';
import { type RateLimitPlan, rateAt, rateLimitPlan } from '../../load/lib/plan.ts';
import { EvkitError } from '../errors.ts';
import { outputError } from '../fs-errors.ts';
import { readScriptOptions } from '../harness/index.ts';
import { segmentPlan } from '../k6/index.ts';
import { type MockHandle, startMock } from '../mock/server.ts';
import { checkReachable } from '../preflight.ts';
import type { RunReport } from '../report/model.ts';
import { finishRunReport, newRunId, type WrittenReport } from '../report/write.ts';
import { defaultTenantFile } from '../schema/default-tenant.ts';
import type { TenantFile } from '../schema/tenant.ts';
import { buildLoadScripts, bundleIsStale, bundlePath } from './build.ts';
import { runWithHarness } from './engine-harness.ts';
import { runWithK6 } from './engine-k6.ts';
import { type Engine, type EngineResult, k6OnPath, type LoadProgress } from './engines.ts';
import { guardTarget, peakPlannedRate } from './guard.ts';
import type { LoadRecording } from './recording.ts';
import { casesAsSent, redact, runSecrets } from './redact.ts';
import { buildLoadReport } from './report.ts';
import { scriptSettingsEnv } from './script-env.ts';

/** Options of a load run (the CLI's flags, resolved; also the programmatic API). */
export interface RunLoadOptions {
  /** throughput, rate-limit, soak, or the path of a k6 bundle (.js). */
  script: string;
  /** Base URL of the Event API; absent: the embedded mock is started for the run. */
  target?: string | undefined;
  /** The target is an embedded mock the caller started (evkit start): reports name it so. */
  targetIsEmbeddedMock?: boolean | undefined;
  /** Default 'auto': k6 when it is on PATH, else the harness. */
  engine?: Engine | 'auto' | undefined;
  rate?: number | undefined;
  /** k6 syntax, e.g. '30s'. */
  duration?: string | undefined;
  eventsPerRequest?: number | undefined;
  /** Default: the embedded mock's TPS, else the script's default (100). */
  expectedTps?: number | undefined;
  /** Whether the target has burst mode (default: the embedded mock's setting, else false). */
  burst?: boolean | undefined;
  /** Corpus seed (default 1). */
  seed?: number | undefined;
  /** A corpus file (JSON array of cases); absent: generated into the run folder. */
  corpus?: string | undefined;
  /** Tenant file for the embedded mock and the generated corpus (default: the built-in one). */
  tenantFile?: TenantFile | undefined;
  /** Extra script settings by EVKIT_* name (e.g. EVKIT_TOLERANCE); secrets belong in the environment. */
  env?: Record<string, string> | undefined;
  allowRemote?: boolean | undefined;
  maxRate?: number | undefined;
  executionSegment?: string | undefined;
  executionSegmentSequence?: string | undefined;
  /** Harness only: start at this phase (0..1) of a wall-clock second (default 0). */
  startPhase?: number | undefined;
  /** Harness only: return every request's send time, code, burst flag and latency. */
  captureRequests?: boolean | undefined;
  /** Default 'reports'. */
  reportsDir?: string | undefined;
  /** Write reports/<run-id>/ (default true). */
  writeReport?: boolean | undefined;
  /** How many corpus cases to generate (default 200). */
  corpusSize?: number | undefined;
  onProgress?: ((p: LoadProgress) => void) | undefined;
  /** The script's handleSummary stdout. */
  onStdout?: ((text: string) => void) | undefined;
  /** Human notes (which engine, where the report is). */
  onNote?: ((text: string) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** The outcome of a load run. */
export interface RunLoadResult {
  report: RunReport;
  runId: string;
  /** The run folder (removed again when no report was written). */
  runDir: string;
  engine: Engine;
  target: string;
  /** 0 thresholds and checks held, 1 something crossed. */
  exitCode: 0 | 1;
  recording: LoadRecording;
  /** Per-request samples (harness with captureRequests). */
  requests: EngineResult['requests'];
  written: WrittenReport | undefined;
  /** The embedded mock's counters at the end of the run (when it was used). */
  mockCounters: ReturnType<MockHandle['counters']> | undefined;
}

function pickEngine(wanted: Engine | 'auto'): { engine: Engine; why: string } {
  const k6 = k6OnPath();
  if (wanted === 'k6') {
    if (!k6)
      throw new EvkitError('E_TOOL_MISSING', 'k6 is not on PATH', {
        hint: 'install k6, or use --engine harness',
      });
    return { engine: 'k6', why: `k6 at ${k6}` };
  }
  if (wanted === 'harness') return { engine: 'harness', why: 'asked for' };
  return k6 ? { engine: 'k6', why: `k6 found at ${k6}` } : { engine: 'harness', why: 'k6 is not on PATH' };
}

/** The bundle of a script name (rebuilt when stale) or a bundle path; an unknown name is a usage error. */
export async function resolveBundle(
  script: string,
): Promise<{ name: string; bundle: string; known: ScriptName | undefined }> {
  const known = (SCRIPTS as readonly string[]).includes(script) ? (script as ScriptName) : undefined;
  if (known) {
    if (bundleIsStale(known)) await buildLoadScripts({ scripts: [known] });
    return { name: known, bundle: bundlePath(known), known };
  }
  const file = resolve(script);
  if (!script.endsWith('.js') || !existsSync(file)) {
    throw new EvkitError('E_USAGE', `unknown script "${script}"`, {
      hint: `use ${SCRIPTS.join(', ')}, or the path of a k6 bundle (.js)`,
    });
  }
  return { name: basename(file, '.js'), bundle: file, known: undefined };
}

/** The first active service key of a tenant file (the embedded mock's credentials). */
export function firstKey(file: TenantFile): string | undefined {
  return file.tenants[0]?.services.flatMap((s) => s.keys).find((k) => k.active)?.value;
}

/**
 * The embedded mock's tenant file. A user who names the TPS the target is provisioned for (`--expected-tps`)
 * expects the embedded mock to be provisioned so: its first tenant takes that TPS.
 */
function embeddedTenantFile(options: RunLoadOptions): TenantFile {
  const file = structuredClone(options.tenantFile ?? defaultTenantFile());
  const first = file.tenants[0];
  if (options.target === undefined && options.expectedTps !== undefined && first) {
    first.rateLimit = { ...first.rateLimit, tps: options.expectedTps };
  }
  return file;
}

/** The limiter's window (fixed or sliding, one second). */
const LIMITER_WINDOW_MS = 1000;
/** Resolution of the planned-arrival integral. */
const STEP_MS = 10;
/** The longest duration the search tries. */
const LONGEST_MS = 3_600_000;

/** Planned arrivals in [fromMs, fromMs + window), by the ramp's rate (k6 ramping semantics). */
function arrivalsInWindow(plan: RateLimitPlan, fromMs: number): number {
  let n = 0;
  for (let t = Math.max(0, fromMs); t < fromMs + LIMITER_WINDOW_MS; t += STEP_MS) {
    n += (rateAt(plan.low, plan.stages, t + STEP_MS / 2) * STEP_MS) / 1000;
  }
  return n;
}

/**
 * The shortest rate-limit run (whole seconds) in which no one-second window that reaches into the recovery phase
 * holds more planned arrivals than TPS + burst band, wherever the limiter's windows fall: shorter, a correct
 * limiter still answers 7020 in the recovery phase for requests of the ramp down, and the run fails.
 */
export function rateLimitMinimumMs(config: LoadConfig): number {
  for (let d = 1000; d <= LONGEST_MS; d += 1000) {
    const plan = rateLimitPlan({ ...config, durationMs: d });
    const recovery = plan.phases.find((p) => p.name === 'recovery')?.startMs ?? 0;
    let worst = 0;
    for (let from = recovery - LIMITER_WINDOW_MS + STEP_MS; from <= recovery; from += STEP_MS) {
      worst = Math.max(worst, arrivalsInWindow(plan, from));
    }
    if (worst <= plan.limit) return d;
  }
  return LONGEST_MS;
}

function checkRateLimitDuration(
  options: RunLoadOptions,
  rateLimit: TenantFile['tenants'][number]['rateLimit'] | undefined,
): void {
  const embedded = options.target === undefined;
  const env: Record<string, string> = { ...scriptEnvOf(process.env), ...(options.env ?? {}) };
  Object.assign(
    env,
    scriptSettingsEnv({
      target: options.target ?? 'http://127.0.0.1:1',
      rate: options.rate,
      duration: options.duration,
      expectedTps: options.expectedTps ?? (embedded ? rateLimit?.tps : undefined),
      burst: options.burst ?? (embedded ? rateLimit?.burst : undefined),
      corpus: '',
    }),
  );
  let config: LoadConfig;
  try {
    config = readConfig(env);
    rateLimitPlan(config);
  } catch (cause) {
    throw new EvkitError('E_USAGE', (cause as Error).message, { cause, hint: 'fix the setting named above' });
  }
  const minimum = rateLimitMinimumMs(config);
  const planned = config.durationMs ?? 60_000;
  if (planned < minimum) {
    throw new EvkitError(
      'E_USAGE',
      `rate-limit needs a duration of at least ${minimum / 1000}s at this TPS and peak (got ${planned / 1000}s)`,
      {
        details: { minimumMs: minimum, durationMs: planned },
        hint: `e.g. --duration ${minimum / 1000}s: shorter, the limiter's window still holds the ramp down when the recovery phase begins`,
      },
    );
  }
}

/** Read a corpus file: a JSON array of cases (`evkit generate --format k6`). */
function readCorpus(path: string): { path: string; cases: Case[] } {
  const hint = 'pass a JSON array of cases (evkit generate --format k6 --out corpus.json)';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new EvkitError('E_USAGE', `cannot read the corpus ${path}: ${(cause as Error).message}`, {
      cause,
      hint,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new EvkitError('E_USAGE', `the corpus ${path} is not JSON: ${(cause as Error).message}`, {
      cause,
      hint,
    });
  }
  if (!Array.isArray(data) || data.length === 0) {
    throw new EvkitError('E_USAGE', `the corpus ${path} must be a non-empty JSON array of cases`, { hint });
  }
  return { path, cases: data as Case[] };
}

/** The EVKIT_* variables of an environment. */
function scriptEnvOf(source: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (k.startsWith('EVKIT_') && v !== undefined) env[k] = v;
  return env;
}

/** Run a load script with k6 or the harness, write reports/<run-id>/, and return the report. */
export async function runLoad(options: RunLoadOptions): Promise<RunLoadResult> {
  const noteFn = options.onNote ?? (() => {});
  const { engine, why } = pickEngine(options.engine ?? 'auto');
  const { name, bundle, known } = await resolveBundle(options.script);
  const tenantFile = embeddedTenantFile(options);
  const tenant = tenantFile.tenants[0];
  if (known === 'rate-limit') checkRateLimitDuration(options, tenant?.rateLimit);
  const reportsDir = options.reportsDir ?? 'reports';
  const runId = newRunId('load');
  // Without a report (find-limit probes) the engine files go to a temporary folder, removed afterwards.
  const keep = options.writeReport !== false;
  const runDir = keep ? resolve(reportsDir, runId) : await mkdtemp(resolve(tmpdir(), 'evkit-load-'));
  try {
    await mkdir(runDir, { recursive: true });
  } catch (cause) {
    throw outputError(cause, runDir, 'the run folder');
  }

  // A corpus given is read before anything starts: a missing or malformed one is exit 2.
  const given = options.corpus ? readCorpus(resolve(options.corpus)) : undefined;
  const secrets = runSecrets(tenantFile, { ...process.env, ...(options.env ?? {}) });
  let privateDir: string | undefined;
  let mock: MockHandle | undefined;
  try {
    if (options.target === undefined) {
      mock = await startMock({ tenantFile });
      noteFn(`target: the embedded mock endpoint at ${mock.url}`);
    }
    const target = options.target ?? (mock as MockHandle).url;
    const expectedTps = options.expectedTps ?? (mock ? tenant?.rateLimit.tps : undefined);
    const burst = options.burst ?? (mock ? tenant?.rateLimit.burst : undefined);

    let cases: Case[] = given?.cases ?? [];
    let corpus: string;
    if (given) {
      corpus = given.path;
    } else {
      cases = generateCases({
        kind: 'valid',
        count: options.corpusSize ?? 200,
        seed: options.seed ?? 1,
        tenantFile,
      });
      // The corpus the engine reads holds the tenant's keys: it lives outside the report folder, which gets a
      // redacted copy.
      privateDir = await mkdtemp(resolve(tmpdir(), 'evkit-corpus-'));
      corpus = resolve(privateDir, 'corpus.json');
      await writeFile(corpus, JSON.stringify(cases));
      if (keep) await writeFile(resolve(runDir, 'corpus.json'), JSON.stringify(redact(cases, secrets)));
    }

    const env = scriptEnvOf(process.env);
    Object.assign(
      env,
      scriptSettingsEnv({
        target,
        rate: options.rate,
        duration: options.duration,
        eventsPerRequest: options.eventsPerRequest,
        expectedTps,
        burst,
        corpus,
      }),
    );
    env[ENV.summaryFile] = resolve(runDir, 'k6-summary.json');
    Object.assign(env, options.env ?? {});
    const key = firstKey(tenantFile);
    if (mock && key && env[ENV.key] === undefined && env[ENV.jwtSecret] === undefined) env[ENV.key] = key;

    const scriptOptions = await readScriptOptions(bundle, env);
    const peakRate = peakPlannedRate(scriptOptions);
    guardTarget(target, {
      allowRemote: options.allowRemote ?? false,
      maxRate: options.maxRate ?? 0,
      peakRate,
    });
    // A target that cannot be reached is one clear line and exit 2, not a run of transport errors.
    if (options.target !== undefined) await checkReachable(target, '--target');
    noteFn(
      `engine: ${engine} (${why}); script ${name}; planned peak ${Math.ceil(peakRate)} req/s; run ${runId}`,
    );

    const engineRun = {
      bundle,
      env,
      runDir,
      options: scriptOptions,
      executionSegment: options.executionSegment,
      executionSegmentSequence: options.executionSegmentSequence,
      startPhase: options.startPhase,
      onProgress: options.onProgress,
      onStdout: options.onStdout,
      signal: options.signal,
      captureRequests: options.captureRequests,
    };
    const result = engine === 'k6' ? await runWithK6(engineRun) : await runWithHarness(engineRun);
    const mockCounters = mock?.counters();

    const config = readConfig(env);
    const plan = known === 'rate-limit' ? rateLimitPlan(config) : undefined;
    const settings: Record<string, unknown> = {
      script: name,
      engine,
      rate: options.rate,
      duration: options.duration,
      eventsPerRequest: options.eventsPerRequest,
      expectedTps: config.expectedTps,
      burst: config.burst,
      tolerance: config.tolerance,
      peakRate: Math.ceil(peakRate),
      corpus: options.corpus ? corpus : 'corpus.json',
      corpusCases: cases.length,
      signIn: config.credentials.kind,
      embeddedMock: mock !== undefined || options.targetIsEmbeddedMock === true,
      executionSegment: options.executionSegment,
      executionSegmentSequence: options.executionSegmentSequence,
      maxRate: options.maxRate,
    };
    for (const k of Object.keys(settings)) if (settings[k] === undefined) delete settings[k];

    const input = buildLoadReport({
      runId,
      script: name,
      target,
      targetLabel: settings.embeddedMock === true ? 'the embedded mock' : target,
      seed: options.seed ?? 1,
      config: settings,
      recording: result.recording,
      expectation: {
        expectedTps: config.expectedTps,
        burst: config.burst,
        tolerance: config.tolerance,
        share: segmentPlan(options.executionSegment, options.executionSegmentSequence).size,
        backOffS: plan ? plan.backOffMs / 1000 : undefined,
        recoveryMs: config.recoveryMs,
      },
      rampsThroughLimit: plan !== undefined,
      cases: casesAsSent(cases, config.credentials),
    });
    const { report, written } = await finishRunReport(
      // Nothing is written without a report: redaction is for what reaches the disk.
      keep ? redact(input, secrets) : input,
      reportsDir,
      options.writeReport !== false,
      noteFn,
    );
    return {
      report,
      runId,
      runDir,
      engine,
      target,
      exitCode: report.ok ? 0 : 1,
      recording: result.recording,
      requests: result.requests,
      written,
      mockCounters,
    };
  } finally {
    await mock?.close({ drainDeadlineMs: 1000 });
    if (!keep) await rm(runDir, { recursive: true, force: true });
    if (privateDir) await rm(privateDir, { recursive: true, force: true });
  }
}
