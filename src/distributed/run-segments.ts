/**
 * Distributed runs on one machine: N engine instances of one script at the same time, each running one k6
 * execution segment against the same target, merged into one report.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EvkitError } from '../errors.ts';
import type { Engine, LoadProgress } from '../load/index.ts';
import {
  CORPUS_FILE,
  type PreparedRun,
  planLoadRun,
  prepareRun,
  type RunLoadOptions,
  type RunLoadResult,
  resolveBundle,
  runLoad,
} from '../load/index.ts';
import type { MockHandle } from '../mock/index.ts';
import type { RunReport } from '../report/index.ts';
import { finishRunReport, newRunId, type WrittenReport } from '../report/index.ts';
import { mergeSegmentReports } from './merge.ts';
import { evenSegments, type SegmentArgs } from './segments.ts';

/** Options of a segmented run: those of runLoad, without the segment flags, plus how many instances. */
export interface SegmentedRunOptions
  extends Omit<RunLoadOptions, 'executionSegment' | 'executionSegmentSequence' | 'captureRequests'> {
  /** How many engine instances (equal execution segments). */
  segments: number;
}

/** The outcome of a segmented run. */
export interface SegmentedRunResult {
  /** The merged report. */
  report: RunReport;
  /** Each instance's own report, in segment order. */
  parts: RunReport[];
  segments: SegmentArgs[];
  runId: string;
  /** The merged run folder (undefined when no report was written). */
  runDir: string | undefined;
  engine: Engine;
  target: string;
  /** 0 every threshold and check held in every instance, 1 something crossed. */
  exitCode: 0 | 1;
  written: WrittenReport | undefined;
  /** The embedded mock's counters after the run (when it was used): it saw every instance's requests. */
  mockCounters: ReturnType<MockHandle['counters']> | undefined;
}

/** Where each instance's own report goes inside the merged run folder. */
export const segmentReportFile = (index: number): string => `segment-${index + 1}.summary.json`;

function segmentsOf(n: number): SegmentArgs[] {
  try {
    return evenSegments(n);
  } catch (cause) {
    throw new EvkitError('E_USAGE', `--segments must be a whole number >= 1, got ${n}`, {
      details: { flag: '--segments', example: '2', value: n },
      cause,
    });
  }
}

/** Sums the latest progress of every instance into one line, at most once a second. */
function progressMerger(n: number, emit: ((p: LoadProgress) => void) | undefined) {
  const latest: (LoadProgress | undefined)[] = Array.from({ length: n }, () => undefined);
  let lastEmit = 0;
  return (index: number, p: LoadProgress) => {
    latest[index] = p;
    const now = Date.now();
    if (!emit || now - lastEmit < 900) return;
    lastEmit = now;
    const byCode: Record<string, number> = {};
    let sent = 0;
    let dropped = 0;
    let elapsedMs = 0;
    for (const l of latest) {
      if (!l) continue;
      sent += l.sent;
      dropped += l.dropped;
      elapsedMs = Math.max(elapsedMs, l.elapsedMs);
      for (const [c, k] of Object.entries(l.byCode)) byCode[c] = (byCode[c] ?? 0) + k;
    }
    emit({ engine: p.engine, elapsedMs, sent, byCode, dropped });
  };
}

/**
 * Run a script as `segments` engine instances at once (each its own runLoad with k6's segment flags, in its
 * own worker thread or k6 process), all against one target — the embedded mock, started once, when no target
 * is given — and merge their reports into reports/<run-id>/.
 */
export async function runSegments(options: SegmentedRunOptions): Promise<SegmentedRunResult> {
  const segments = segmentsOf(options.segments);
  const note = options.onNote ?? (() => {});
  const reportsDir = options.reportsDir ?? 'reports';
  const keep = options.writeReport !== false;
  const runId = newRunId('load');
  const runDir = keep ? resolve(reportsDir, runId) : undefined;
  // Build the bundle once here, so the instances do not rebuild the same file at the same time.
  await resolveBundle(options.script);
  // One preparation for every instance: one embedded mock, one corpus (its redacted copy in the run folder).
  const plan = planLoadRun(options);
  if (runDir) await mkdir(runDir, { recursive: true });

  const controller = new AbortController();
  const abort = () => controller.abort();
  if (options.signal?.aborted) abort();
  else options.signal?.addEventListener('abort', abort, { once: true });
  let prepared: PreparedRun | undefined;
  try {
    prepared = await prepareRun(plan, {
      copyDir: runDir,
      onNote: note,
      mockNote: (url) =>
        `target: the embedded mock endpoint at ${url}, shared by ${segments.length} instances`,
    });
    const { mock, target } = prepared;
    const corpus = prepared.corpusFile;

    const progress = progressMerger(segments.length, options.onProgress);
    note(
      `${segments.length} instances: ${segments.map((s) => s.segment).join(', ')} of ${segments[0]?.sequence}`,
    );
    const runs = segments.map((s, i) => {
      const label = `[segment ${i + 1}/${segments.length} ${s.segment}]`;
      return runLoad({
        ...options,
        target,
        targetIsEmbeddedMock: mock !== undefined || options.targetIsEmbeddedMock === true,
        settings: plan.settings,
        env: { ...plan.config.other },
        corpus,
        executionSegment: s.segment,
        executionSegmentSequence: s.sequence,
        writeReport: false,
        signal: controller.signal,
        onProgress: (p) => progress(i, p),
        onStdout: (text) => options.onStdout?.(`${label}\n${text}`),
        onNote: (text) => note(`${label} ${text}`),
      });
    });
    // One failing instance stops the others: a partial distributed run has no meaning.
    for (const r of runs) r.catch(abort);
    const settled = await Promise.allSettled(runs);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const results = settled.map((s) => (s as PromiseFulfilledResult<RunLoadResult>).value);
    const parts = results.map((r) => r.report);
    const mockCounters = mock?.counters();

    const input = mergeSegmentReports(parts, runId);
    input.config = {
      ...input.config,
      embeddedMock: mock !== undefined || options.targetIsEmbeddedMock === true,
      ...(options.corpus === undefined && runDir ? { corpus: CORPUS_FILE } : {}),
    };
    const write = keep && Boolean(runDir);
    if (keep && runDir) {
      for (const [i, p] of parts.entries())
        await writeFile(join(runDir, segmentReportFile(i)), `${JSON.stringify(p, null, 2)}\n`);
    }
    const { report, written } = await finishRunReport(input, reportsDir, write, note);
    return {
      report,
      parts,
      segments,
      runId,
      runDir,
      engine: results[0]?.engine ?? 'harness',
      target,
      exitCode: report.ok ? 0 : 1,
      written,
      mockCounters,
    };
  } finally {
    options.signal?.removeEventListener('abort', abort);
    await prepared?.close();
  }
}
