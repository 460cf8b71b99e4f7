import { writeFileSync } from 'node:fs';
import { LATENCY_METRICS, TAG } from '../../load/lib/index.ts';
import { type HarnessResult, runHarness } from '../harness/index.ts';
import type { EngineResult, EngineRun } from './engines.ts';
import { progressOf } from './engines.ts';
import { LOAD_SERIES, seriesToRecording } from './recording.ts';

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
