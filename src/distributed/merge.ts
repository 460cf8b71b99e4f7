import type { Percentiles, RunReport, RunReportInput, Series, Verdict } from '../report/index.ts';

const sumArrays = (arrays: readonly (readonly number[] | undefined)[]): number[] => {
  const out: number[] = [];
  for (const a of arrays)
    a?.forEach((v, i) => {
      out[i] = (out[i] ?? 0) + v;
    });
  return out;
};

/** Merge percentiles of instances: exact count, min, max and average; percentiles count-weighted (approximate). */
export function mergePercentiles(parts: readonly (Percentiles | undefined)[]): Percentiles | undefined {
  const ps = parts.filter((p): p is Percentiles => p !== undefined && p.count > 0);
  if (ps.length === 0) return undefined;
  const count = ps.reduce((n, p) => n + p.count, 0);
  const w = (k: keyof Percentiles) => ps.reduce((n, p) => n + p[k] * p.count, 0) / count;
  return {
    count,
    min: Math.min(...ps.map((p) => p.min)),
    max: Math.max(...ps.map((p) => p.max)),
    avg: w('avg'),
    p50: w('p50'),
    p90: w('p90'),
    p95: w('p95'),
    p99: w('p99'),
  };
}

/** Prepend `k` empty seconds, so an instance that started `k` seconds late lines up with the others. */
function shiftSeries(s: Series, k: number): Series {
  if (k === 0) return s;
  const pad = (a: readonly number[]) => [...Array.from({ length: k }, () => 0), ...a];
  return {
    t: Array.from({ length: s.t.length + k }, (_, i) => i),
    byCode: Object.fromEntries(Object.entries(s.byCode).map(([c, a]) => [c, pad(a)])),
    burst: pad(s.burst),
    sent: pad(s.sent),
    dropped: pad(s.dropped),
    targetRate: pad(s.targetRate),
  };
}

function mergeSeries(series: readonly (Series | undefined)[]): Series | undefined {
  const ss = series.filter((s): s is Series => s !== undefined);
  if (ss.length === 0) return undefined;
  const seconds = Math.max(...ss.map((s) => s.t.length));
  const codes = [...new Set(ss.flatMap((s) => Object.keys(s.byCode)))] as (keyof Series['byCode'])[];
  const fill = (a: number[]) => Array.from({ length: seconds }, (_, i) => a[i] ?? 0);
  return {
    t: Array.from({ length: seconds }, (_, i) => i),
    byCode: Object.fromEntries(codes.map((c) => [c, fill(sumArrays(ss.map((s) => s.byCode[c])))])),
    burst: fill(sumArrays(ss.map((s) => s.burst))),
    sent: fill(sumArrays(ss.map((s) => s.sent))),
    dropped: fill(sumArrays(ss.map((s) => s.dropped))),
    targetRate: fill(sumArrays(ss.map((s) => s.targetRate))),
  };
}

function mergeVerdicts(lists: readonly (readonly Verdict[])[]): Verdict[] {
  const names = [...new Set(lists.flatMap((l) => l.map((v) => v.name)))];
  return names.map((name) => {
    const per = lists.map((l, i) => ({ i, v: l.find((v) => v.name === name) }));
    const ok = per.every((p) => p.v === undefined || p.v.ok);
    return {
      name,
      ok,
      detail: per
        .map((p) => `segment ${p.i + 1}: ${p.v ? `${p.v.ok ? 'ok' : 'FAILED'} ${p.v.detail}` : 'n/a'}`)
        .join('; '),
    };
  });
}

/** Whole seconds each instance started after the earliest one (the harness and k6 start on whole seconds). */
export function startOffsets(parts: readonly RunReport[]): number[] {
  const starts = parts.map((p) => Date.parse(p.startedAt));
  const t0 = Math.min(...starts);
  return starts.map((s) => Math.round((s - t0) / 1000));
}

const segmentLabel = (p: RunReport, i: number) =>
  `segment ${i + 1}${typeof p.config.executionSegment === 'string' ? ` (${p.config.executionSegment})` : ''}`;

/**
 * Merge the reports of the instances of one segmented run into one report: series line up by start time and
 * add up, totals add up; a threshold holds when it held in every instance; latency percentiles are
 * count-weighted (approximate); each instance's own sections and markers are kept, labelled by segment.
 */
export function mergeSegmentReports(parts: readonly RunReport[], runId: string): RunReportInput {
  const first = parts[0];
  if (!first) throw new RangeError('no reports to merge');
  const offsets = startOffsets(parts);
  const startIndex = offsets.indexOf(0);
  const earliest = parts[startIndex] ?? first;
  const byCode: Record<string, number> = {};
  for (const p of parts)
    for (const [c, n] of Object.entries(p.totals.byCode)) byCode[c] = (byCode[c] ?? 0) + (n ?? 0);
  const series = mergeSeries(parts.map((p, i) => p.series && shiftSeries(p.series, offsets[i] ?? 0)));
  const overall = mergePercentiles(parts.map((p) => p.latency?.overall));
  const accepted = mergePercentiles(parts.map((p) => p.latency?.accepted));
  const rejected = mergePercentiles(parts.map((p) => p.latency?.rejected));
  const error = mergePercentiles(parts.map((p) => p.latency?.error));
  const thresholds = mergeVerdicts(parts.map((p) => p.thresholds));
  const checks = mergeVerdicts(parts.map((p) => p.checks));
  const t0 = Date.parse(earliest.startedAt);
  const { executionSegment: _segment, executionSegmentSequence: sequence, ...config } = first.config;
  return {
    ...first,
    runId,
    title: `${first.title} (${parts.length} segments merged)`,
    startedAt: earliest.startedAt,
    durationMs: Math.max(...parts.map((p) => Date.parse(p.startedAt) + p.durationMs)) - t0,
    config: {
      ...config,
      segments: parts.map((p) => p.config.executionSegment ?? null),
      ...(sequence === undefined ? {} : { executionSegmentSequence: sequence }),
    },
    totals: {
      requests: parts.reduce((n, p) => n + p.totals.requests, 0),
      byCode,
      burst: parts.reduce((n, p) => n + p.totals.burst, 0),
      dropped: parts.reduce((n, p) => n + p.totals.dropped, 0),
    },
    ...(series ? { series } : {}),
    ...(overall
      ? {
          latency: {
            overall,
            ...(accepted ? { accepted } : {}),
            ...(rejected ? { rejected } : {}),
            ...(error ? { error } : {}),
          },
        }
      : {}),
    markers: parts.flatMap((p, i) =>
      p.markers.map((m) => ({ t: m.t + (offsets[i] ?? 0), label: `${segmentLabel(p, i)}: ${m.label}` })),
    ),
    thresholds,
    checks,
    sections: [
      {
        title: 'Segments',
        text: [
          `${parts.length} engine instances ran one execution segment each, at the same time; this report adds them up.`,
          'Totals, series, min and max are exact; latency percentiles are count-weighted means of the instances (approximate).',
          'A threshold or check holds when it held in every instance (k6 evaluates them per instance too).',
          ...parts.map(
            (p, i) =>
              `${segmentLabel(p, i)}: ${p.totals.requests} requests, started at +${offsets[i] ?? 0} s, ${p.ok ? 'passed' : 'failed'}`,
          ),
        ].join('\n'),
        charts: [],
      },
      ...parts.flatMap((p, i) =>
        p.sections.map((s) => ({
          ...s,
          title: `${s.title}: ${segmentLabel(p, i)}`,
          charts: s.charts.map((c) => ({
            ...c,
            x: c.x.map((x) => x + (offsets[i] ?? 0)),
            markers: c.markers.map((m) => ({ ...m, x: m.x + (offsets[i] ?? 0) })),
          })),
        })),
      ),
    ],
    failures: parts.flatMap((p) => p.failures),
    ok: parts.every((p) => p.ok) && thresholds.every((t) => t.ok) && checks.every((c) => c.ok),
  };
}
