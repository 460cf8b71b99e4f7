import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { SummaryData } from '../../load/lib/index.ts';
import { EvkitError } from '../errors.ts';
import { type EngineResult, type EngineRun, plannedPerSecond, progressOf } from './engines.ts';
import { PointReader } from './k6-points.ts';
import { LOAD_SERIES, seriesToRecording, thresholdsFromSummary } from './recording.ts';

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
          details: { tool: 'k6' },
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
      code === K6_EXIT.invalidConfig || code === K6_EXIT.scriptException ? 'E_K6_SCRIPT' : 'E_K6';
    throw new EvkitError(errorCode, `k6 exited with code ${code}`, {
      details: { stderr: stderr.join('').slice(-4000) },
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
