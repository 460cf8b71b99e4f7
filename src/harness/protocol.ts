import type { SummaryData } from '../../load/lib/index.ts';
import type { CapturedSample, CaptureSpec, SeriesData, SeriesSpec, ThresholdResult } from '../k6/index.ts';

/** What the main thread asks the harness worker to do (structured-clone safe). */
export interface WorkerRequest {
  mode: 'run' | 'options';
  bundle: string;
  env: Record<string, string>;
  executionSegment?: string;
  executionSegmentSequence?: string;
  /** Start the test at this phase (0..1) of a wall-clock second; default 0 (aligned to the second). */
  startPhase?: number;
  series?: SeriesSpec[];
  captures?: CaptureSpec[];
  /** Write k6 `--out json` NDJSON points to this file. */
  outJson?: string;
  /** Extra tags on every sample (k6 `--tag`). */
  tags?: Record<string, string>;
}

/** A progress report, once a second. */
export interface HarnessProgress {
  elapsedMs: number;
  /** Running totals of every series spec, by group. */
  totals: Record<string, Record<string, number>>;
  dropped: number;
  vusActive: number;
  errors: number;
}

/** The outcome of a harness run. */
export interface HarnessResult {
  /** Epoch ms of t=0 of the series (the test start). */
  startEpochMs: number;
  durationMs: number;
  options: Record<string, unknown>;
  summary: SummaryData;
  thresholds: ThresholdResult[];
  thresholdsOk: boolean;
  series: Record<string, SeriesData>;
  captures: Record<string, CapturedSample[]>;
  /** Planned iteration starts of this instance per second. */
  planned: number[];
  dropped: number;
  interrupted: number;
  /** Uncaught iteration exceptions: how many, and the first few. */
  errors: { count: number; first: string[] };
  abortReason: string | undefined;
  failedMessage: string | undefined;
  /** What handleSummary returned (or the default text summary under `stdout`). */
  summaryOutputs: Record<string, string | ArrayBuffer>;
  segment: string;
  /** Event-loop utilisation of the harness thread while the scenarios ran (0..1): its headroom. */
  eventLoopUtilization: number;
}

/** Messages from the worker. */
export type WorkerMessage =
  | { type: 'progress'; progress: HarnessProgress }
  | { type: 'options'; options: Record<string, unknown> }
  | { type: 'result'; result: HarnessResult }
  | { type: 'error'; message: string; stack: string | undefined; phase: string };
