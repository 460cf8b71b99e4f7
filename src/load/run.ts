import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, resolve } from 'node:path';
import type { LoadConfig } from '../../load/lib/index.ts';
import { type RateLimitPlan, rateAt, rateLimitPlan, SCRIPTS, type ScriptName } from '../../load/lib/index.ts';
import { EvkitError } from '../errors.ts';
import { outputError } from '../fs-errors.ts';
import { readScriptOptions } from '../harness/index.ts';
import { segmentPlan } from '../k6/index.ts';
import type { MockHandle } from '../mock/index.ts';
import { checkReachable } from '../preflight.ts';
import type { RunReport } from '../report/index.ts';
import { finishRunReport, newRunId, type WrittenReport } from '../report/index.ts';
import type { TenantFile } from '../schema/index.ts';
import { buildLoadScripts, bundleIsStale, bundlePath } from './build.ts';
import { runWithHarness } from './engine-harness.ts';
import { runWithK6 } from './engine-k6.ts';
import { type Engine, type EngineResult, k6OnPath, type LoadProgress } from './engines.ts';
import { guardTarget, peakPlannedRate } from './guard.ts';
import {
  builtinOptions,
  definedSettings,
  otherScriptEnv,
  type ScriptSettings,
  scriptEnv,
  scriptSettingsOfEnv,
} from './load-config.ts';
import { CORPUS_FILE, planRun, prepareRun, type RunPlan } from './prepare.ts';
import type { LoadRecording } from './recording.ts';
import { casesAsSent, redact } from './redact.ts';
import { buildLoadReport } from './report.ts';

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
  /**
   * The script settings, typed, resolved by the caller (evkit load: defaults < config file < EVKIT_* < flags);
   * absent: the EVKIT_* variables of the environment, read through the same table. The fields above win.
   */
  settings?: ScriptSettings | undefined;
  /** Extra script settings by EVKIT_* name (e.g. EVKIT_TOLERANCE), checked by the same table; they win. */
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
    if (!k6) throw new EvkitError('E_TOOL_MISSING', 'k6 is not on PATH', { details: { tool: 'k6' } });
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
    throw new EvkitError('E_UNKNOWN_SCRIPT', `unknown script "${script}"`, {
      details: { script, known: SCRIPTS },
    });
  }
  return { name: basename(file, '.js'), bundle: file, known: undefined };
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

function checkRateLimitDuration(config: LoadConfig): void {
  let minimum: number;
  try {
    rateLimitPlan(config);
    minimum = rateLimitMinimumMs(config);
  } catch (cause) {
    throw new EvkitError('E_SCRIPT_SETTING', (cause as Error).message, { cause });
  }
  const planned = config.durationMs ?? 60_000;
  if (planned < minimum) {
    throw new EvkitError(
      'E_DURATION_SHORT',
      `rate-limit needs a duration of at least ${minimum / 1000}s at this TPS and peak (got ${planned / 1000}s)`,
      {
        details: { minimumMs: minimum, durationMs: planned },
      },
    );
  }
}

/**
 * The typed script settings of a run: the caller's (or the environment's, read through the table), then the
 * options' own fields, then `env` by name.
 */
export function runSettings(options: RunLoadOptions): {
  settings: ScriptSettings;
  other: Record<string, string>;
} {
  // Resolved by the caller, or read here; the variables no setting names pass on to the script as they are.
  const base = options.settings
    ? { settings: options.settings, other: otherScriptEnv(process.env) }
    : scriptSettingsOfEnv(process.env);
  const extra = scriptSettingsOfEnv(options.env ?? {});
  const settings: ScriptSettings = {
    ...definedSettings(base.settings),
    ...definedSettings({
      rate: options.rate,
      duration: options.duration,
      eventsPerRequest: options.eventsPerRequest,
      expectedTps: options.expectedTps,
      burst: options.burst,
    }),
    ...definedSettings(extra.settings),
  };
  // The target is the run's own (options.target), never a script setting.
  delete settings.target;
  return { settings, other: { ...base.other, ...extra.other } };
}

/** Plan a run of runLoad: its settings, its tenant file, its typed configuration; nothing starts. */
export function planLoadRun(options: RunLoadOptions): RunPlan {
  const { settings, other } = runSettings(options);
  return planRun({
    target: options.target,
    tenantFile: options.tenantFile,
    settings,
    other,
    corpus: options.corpus,
    seed: options.seed,
    corpusSize: options.corpusSize,
  });
}

/** Run a load script with k6 or the harness, write reports/<run-id>/, and return the report. */
export async function runLoad(options: RunLoadOptions): Promise<RunLoadResult> {
  const noteFn = options.onNote ?? (() => {});
  const { engine, why } = pickEngine(options.engine ?? 'auto');
  const { name, bundle, known } = await resolveBundle(options.script);
  const reportsDir = options.reportsDir ?? 'reports';
  const runId = newRunId('load');
  // Without a report (find-limit probes) the engine files go to a temporary folder, removed afterwards.
  const keep = options.writeReport !== false;
  const plan = planLoadRun(options);
  if (known === 'rate-limit') checkRateLimitDuration(plan.config.config);
  const runDir = keep ? resolve(reportsDir, runId) : await mkdtemp(resolve(tmpdir(), 'evkit-load-'));
  try {
    await mkdir(runDir, { recursive: true });
  } catch (cause) {
    throw outputError(cause, runDir, 'the run folder');
  }

  let prepared: Awaited<ReturnType<typeof prepareRun>> | undefined;
  try {
    // A corpus given is read before anything starts: a missing or malformed one is exit 2.
    prepared = await prepareRun(plan, {
      copyDir: keep ? runDir : undefined,
      summaryFile: resolve(runDir, 'k6-summary.json'),
      onNote: noteFn,
    });
    const { mock, target, config: run, cases } = prepared;
    const config = run.config;
    const env = scriptEnv(run);

    // The built-in scripts' options follow from the configuration; only a user's bundle is asked for its own.
    const scriptOptions = known ? builtinOptions(known, run) : await readScriptOptions(bundle, env);
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

    const rampPlan = known === 'rate-limit' ? rateLimitPlan(config) : undefined;
    const settings: Record<string, unknown> = {
      script: name,
      engine,
      rate: run.values.rate,
      duration: run.values.duration,
      eventsPerRequest: run.values.eventsPerRequest,
      expectedTps: config.expectedTps,
      burst: config.burst,
      tolerance: config.tolerance,
      peakRate: Math.ceil(peakRate),
      corpus: options.corpus ? prepared.corpusFile : CORPUS_FILE,
      corpusCases: cases.length,
      signIn: config.credentials.type,
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
        backOffS: rampPlan ? rampPlan.backOffMs / 1000 : undefined,
        recoveryMs: config.recoveryMs,
      },
      rampsThroughLimit: rampPlan !== undefined,
      cases: casesAsSent(cases, config.credentials),
    });
    const { report, written } = await finishRunReport(
      // Nothing is written without a report: redaction is for what reaches the disk.
      keep ? redact(input, prepared.secrets) : input,
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
    await prepared?.close();
    if (!keep) await rm(runDir, { recursive: true, force: true });
  }
}
