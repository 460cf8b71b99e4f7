import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { LATENCY_METRICS, TAG } from '../../load/lib/names.ts';
import type { SummaryData } from '../../load/lib/summary-data.ts';
import { EvkitError } from '../errors.ts';
import { type ArrivalScenario, arrivalTimes, normaliseScenario } from './harness/arrivals.ts';
import { type HarnessResult, runHarness } from './harness/index.ts';
import { owns, segmentPlan } from './harness/segments.ts';
import { PointReader } from './k6-points.ts';
import { LOAD_SERIES, type LoadRecording, seriesToRecording, thresholdsFromSummary } from './recording.ts';

/** The engines that run a bundle. */
export const ENGINES = ['k6', 'harness'] as const;
export type Engine = (typeof ENGINES)[number];

/** Progress of a run, once a second. */
export interface LoadProgress {
  engine: Engine;
  elapsedMs: number;
  sent: number;
  byCode: Record<string, number>;
  dropped: number;
}

/** What an engine needs to run a bundle. */
export interface EngineRun {
  bundle: string;
  /** `__ENV` of the script (non-secret and secret settings). */
  env: Record<string, string>;
  /** The run folder, for engine files (k6's NDJSON points). */
  runDir: string;
  executionSegment?: string | undefined;
  executionSegmentSequence?: string | undefined;
  startPhase?: number | undefined;
  onProgress?: ((p: LoadProgress) => void) | undefined;
  onStdout?: ((text: string) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Keep per-request samples (send time, code, burst, latency), e.g. for find-limit. */
  captureRequests?: boolean | undefined;
  /** The options the script exports (read beforehand), for the planned rate per second. */
  options: Record<string, unknown>;
}

/** An engine's result: the recording, plus the per-request samples when asked for. */
export interface EngineResult {
  recording: LoadRecording;
  requests: { t: number; code: string; burst: boolean; latencyMs: number }[];
  /** Files the engine wrote into the run folder. */
  files: string[];
}

/** Whether the `k6` binary is on PATH. */
export function k6OnPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, 'k6');
    try {
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The planned iteration starts per second of this instance, from the script's scenarios. */
export function plannedPerSecond(
  options: Record<string, unknown>,
  segment: string | undefined,
  sequence: string | undefined,
): number[] {
  const seg = segmentPlan(segment, sequence);
  const out: number[] = [];
  const scenarios = (options.scenarios ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, raw] of Object.entries(scenarios)) {
    let s: ArrivalScenario;
    try {
      s = normaliseScenario(name, raw);
    } catch {
      continue; // executors without a planned rate
    }
    for (const [i, at] of arrivalTimes(s)) {
      if (!owns(seg, i)) continue;
      const second = Math.floor((s.startTimeMs + at) / 1000);
      while (out.length <= second) out.push(0);
      out[second] = (out[second] ?? 0) + 1;
    }
  }
  return out;
}

function progressOf(
  engine: Engine,
  elapsedMs: number,
  totals: Record<string, Record<string, number>>,
): LoadProgress {
  const byCode = totals.byCode ?? {};
  return {
    engine,
    elapsedMs,
    sent: Object.values(byCode).reduce((a, b) => a + b, 0),
    byCode,
    dropped: totals.dropped?.[''] ?? 0,
  };
}

const CAPTURE = 'requests';

/** Run a bundle in the harness. */
export async function runWithHarness(run: EngineRun): Promise<EngineResult> {
  const result: HarnessResult = await runHarness({
    bundle: run.bundle,
    env: run.env,
    ...(run.executionSegment ? { executionSegment: run.executionSegment } : {}),
    ...(run.executionSegmentSequence ? { executionSegmentSequence: run.executionSegmentSequence } : {}),
    ...(run.startPhase !== undefined ? { startPhase: run.startPhase } : {}),
    series: LOAD_SERIES,
    captures: run.captureRequests
      ? [{ name: CAPTURE, metrics: LATENCY_METRICS, tags: [TAG.code, TAG.burst] }]
      : [],
    onProgress: (p) => run.onProgress?.(progressOf('harness', p.elapsedMs, p.totals)),
    ...(run.signal ? { signal: run.signal } : {}),
  });
  const seconds = Math.max(Math.ceil(result.durationMs / 1000), result.planned.length);
  const files: string[] = [];
  for (const [name, content] of Object.entries(result.summaryOutputs)) {
    if (name === 'stdout') run.onStdout?.(String(content));
    else if (name === 'stderr') process.stderr.write(String(content));
    else {
      writeFileSync(name, typeof content === 'string' ? content : new Uint8Array(content));
      files.push(name);
    }
  }
  return {
    recording: {
      engine: 'harness',
      startEpochMs: result.startEpochMs,
      durationMs: result.durationMs,
      ...seriesToRecording(result.series, seconds),
      targetRate: Array.from({ length: seconds }, (_, i) => result.planned[i] ?? 0),
      summary: result.summary,
      thresholds: result.thresholds,
      errors: result.errors,
      abortReason: result.abortReason,
    },
    requests: (result.captures[CAPTURE] ?? []).map((s) => ({
      t: s.t - s.v,
      code: s.tags[0] ?? 'other',
      burst: s.tags[1] === 'true',
      latencyMs: s.v,
    })),
    files,
  };
}

/** k6 exit codes evkit reads (k6-notes.md). */
const K6_EXIT = {
  ok: 0,
  thresholds: 99,
  invalidConfig: 104,
  scriptException: 107,
  aborted: 108,
  failed: 110,
} as const;

/** Run a bundle with the real k6 binary (`k6 run --out json=...`), reading its points as they are written. */
export async function runWithK6(run: EngineRun): Promise<EngineResult> {
  const points = join(run.runDir, 'k6-points.ndjson');
  const summaryFile = run.env.EVKIT_SUMMARY_FILE ?? join(run.runDir, 'k6-summary.json');
  const args = ['run', '--quiet', `--out`, `json=${points}`];
  if (run.executionSegment) args.push('--execution-segment', run.executionSegment);
  if (run.executionSegmentSequence) args.push('--execution-segment-sequence', run.executionSegmentSequence);
  args.push(run.bundle);
  // Settings go through the child's environment (k6 passes it to __ENV): secrets stay out of the process list.
  const child = spawn('k6', args, {
    env: { ...process.env, ...run.env, EVKIT_SUMMARY_FILE: summaryFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => run.onStdout?.(chunk.toString('utf8')));
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString('utf8'));
    if (stderr.length > 200) stderr.shift();
  });
  const abort = () => child.kill('SIGINT');
  run.signal?.addEventListener('abort', abort, { once: true });

  const reader = new PointReader(LOAD_SERIES);
  let offset = 0;
  let partial = '';
  const pump = async () => {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(points, 'r');
      const buf = Buffer.alloc(1 << 20);
      for (;;) {
        const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        const text = partial + buf.subarray(0, bytesRead).toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) reader.line(line);
      }
    } catch {
      // not written yet
    } finally {
      await handle?.close();
    }
  };
  const started = Date.now();
  const timer = setInterval(() => {
    void pump().then(() => {
      const start = reader.start ?? started;
      run.onProgress?.(progressOf('k6', Date.now() - start, reader.registry.totals()));
    });
  }, 1000);
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', (error) =>
      reject(
        new EvkitError('E_TOOL_MISSING', `cannot run k6: ${error.message}`, {
          hint: 'install k6 or use --engine harness',
          cause: error,
        }),
      ),
    );
    child.on('close', (c) => resolve(c ?? 1));
  });
  clearInterval(timer);
  run.signal?.removeEventListener('abort', abort);
  await pump();
  if (partial) reader.line(partial);

  if (
    code !== K6_EXIT.ok &&
    code !== K6_EXIT.thresholds &&
    code !== K6_EXIT.aborted &&
    code !== K6_EXIT.failed
  ) {
    const errorCode =
      code === K6_EXIT.invalidConfig || code === K6_EXIT.scriptException ? 'E_CONFIG' : 'E_INTERNAL';
    throw new EvkitError(errorCode, `k6 exited with code ${code}`, {
      details: { stderr: stderr.join('').slice(-4000) },
      hint: stderr.join('').trim().split('\n').slice(-3).join(' | '),
    });
  }
  let summary: SummaryData;
  try {
    summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as SummaryData;
  } catch (cause) {
    throw new EvkitError(
      'E_INTERNAL',
      `k6 wrote no summary to ${summaryFile} (does the script's handleSummary write EVKIT_SUMMARY_FILE?)`,
      { cause },
    );
  }
  const durationMs = summary.state.testRunDurationMs;
  const planned = plannedPerSecond(run.options, run.executionSegment, run.executionSegmentSequence);
  const seconds = Math.max(Math.ceil(durationMs / 1000), planned.length);
  return {
    recording: {
      engine: 'k6',
      startEpochMs: reader.start ?? started,
      durationMs,
      ...seriesToRecording(reader.series(seconds), seconds),
      targetRate: Array.from({ length: seconds }, (_, i) => planned[i] ?? 0),
      summary,
      thresholds: thresholdsFromSummary(summary),
      errors: {
        count: code === K6_EXIT.failed ? 1 : 0,
        first: code === K6_EXIT.failed ? ['k6 marked the test failed (exit 110)'] : [],
      },
      abortReason: code === K6_EXIT.aborted ? 'the script called test.abort() (k6 exit 108)' : undefined,
    },
    requests: [],
    files: [points, summaryFile],
  };
}
