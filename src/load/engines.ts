import { statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type ArrivalScenario, arrivalTimes, normaliseScenario, owns, segmentPlan } from '../k6/index.ts';
import type { LoadRecording } from './recording.ts';

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
  /**
   * The options the script exports (computed for a built-in script, read from a bundle of your own), for the
   * planned rate per second.
   */
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

/** A progress report from an engine's running series totals. */
export function progressOf(
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
