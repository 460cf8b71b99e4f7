import type { SummaryData } from '../../load/lib/index.ts';
import { LATENCY_METRICS, METRIC, TAG } from '../../load/lib/index.ts';
import {
  aggregationKey,
  parseExpression,
  type SeriesData,
  type SeriesSpec,
  type ThresholdResult,
} from '../k6/index.ts';
import { isResponseCode, type ResponseCode } from '../schema/index.ts';

/**
 * The per-second series evkit records from every run, with either engine. Responses are counted at the time
 * their request was sent (sample time minus latency), so seconds line up with the target's rate windows.
 */
export const LOAD_SERIES: SeriesSpec[] = [
  { name: 'byCode', metrics: LATENCY_METRICS, groupBy: [TAG.code], count: true, atSendTime: true },
  { name: 'burst', metrics: [METRIC.latencyAccepted], groupBy: [TAG.burst], count: true, atSendTime: true },
  { name: 'sent', metrics: ['http_req_duration'], count: true, atSendTime: true, keepValues: true },
  { name: 'dropped', metrics: ['dropped_iterations'] },
  { name: 'unexpected', metrics: [METRIC.unexpectedCase], groupBy: [TAG.case, TAG.code] },
];

/** What a run of either engine recorded, in one shape. */
export interface LoadRecording {
  engine: 'k6' | 'harness';
  /** Epoch ms of second 0. */
  startEpochMs: number;
  durationMs: number;
  byCode: Partial<Record<ResponseCode | 'other', number[]>>;
  burst: number[];
  sent: number[];
  dropped: number[];
  /** Planned arrivals per second (the executor's target rate), when known. */
  targetRate: number[];
  /** Latency values (ms) of the requests sent in each second. */
  latencyBySecond: number[][];
  /** Unexpected outcomes by case: how many times each case got which code. */
  unexpected: { caseId: string; code: string; count: number }[];
  summary: SummaryData;
  thresholds: ThresholdResult[];
  /** Iteration exceptions, interrupted iterations, abort reason. */
  errors: { count: number; first: string[] };
  abortReason: string | undefined;
}

/** The thresholds of a k6 summary, with observed values read from the summary's values. */
export function thresholdsFromSummary(summary: SummaryData): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  for (const [metric, m] of Object.entries(summary.metrics)) {
    for (const [expression, { ok }] of Object.entries(m.thresholds ?? {})) {
      let observed = Number.NaN;
      try {
        observed = m.values[aggregationKey(parseExpression(expression).aggregation)] ?? Number.NaN;
      } catch {
        // An expression the harness cannot parse keeps k6's verdict without a value.
      }
      out.push({ metric, expression, ok, observed });
    }
  }
  return out;
}

/** Turn recorded series into the recording's per-second arrays, `seconds` long. */
export function seriesToRecording(
  series: Record<string, SeriesData>,
  seconds: number,
): Pick<LoadRecording, 'byCode' | 'burst' | 'sent' | 'dropped' | 'latencyBySecond' | 'unexpected'> {
  const pad = (arr: readonly number[] | undefined) =>
    Array.from({ length: seconds }, (_, i) => arr?.[i] ?? 0);
  const byCode: LoadRecording['byCode'] = {};
  for (const [group, arr] of Object.entries(series.byCode?.byGroup ?? {})) {
    const code = isResponseCode(group) ? group : 'other';
    const prev = byCode[code];
    byCode[code] = pad(arr).map((v, i) => v + (prev?.[i] ?? 0));
  }
  const unexpected = Object.entries(series.unexpected?.byGroup ?? {}).map(([group, arr]) => {
    const [caseId = '', code = ''] = group.split(' ');
    return { caseId, code, count: arr.reduce((a, b) => a + b, 0) };
  });
  return {
    byCode,
    burst: pad(series.burst?.byGroup.true),
    sent: pad(series.sent?.byGroup['']),
    dropped: pad(series.dropped?.byGroup['']),
    latencyBySecond: Array.from({ length: seconds }, (_, i) => series.sent?.values?.[i] ?? []),
    unexpected,
  };
}
