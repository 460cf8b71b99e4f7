import type { Percentiles, RunReport, RunReportInput, Series, Verdict } from '../report/model.ts';

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

function mergeSeries(series: readonly (Series | undefined)[]): Series | undefined {
  const ss = series.filter((s): s is Series => s !== undefined);
  if (ss.length === 0) return undefined;
  const longest = ss.reduce((a, b) => (b.t.length > a.t.length ? b : a));
  const codes = [...new Set(ss.flatMap((s) => Object.keys(s.byCode)))] as (keyof Series['byCode'])[];
  return {
    t: [...longest.t],
    byCode: Object.fromEntries(codes.map((c) => [c, sumArrays(ss.map((s) => s.byCode[c]))])),
    burst: sumArrays(ss.map((s) => s.burst)),
    sent: sumArrays(ss.map((s) => s.sent)),
    dropped: sumArrays(ss.map((s) => s.dropped)),
    targetRate: sumArrays(ss.map((s) => s.targetRate)),
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

/**
 * Merge the reports of the instances of one segmented run into one report: totals and series add up;
 * a threshold holds when it held in every instance; latency percentiles are count-weighted (approximate).
 */
export function mergeSegmentReports(parts: readonly RunReport[], runId: string): RunReportInput {
  const first = parts[0];
  if (!first) throw new RangeError('no reports to merge');
  const byCode: Record<string, number> = {};
  for (const p of parts)
    for (const [c, n] of Object.entries(p.totals.byCode)) byCode[c] = (byCode[c] ?? 0) + (n ?? 0);
  const series = mergeSeries(parts.map((p) => p.series));
  const overall = mergePercentiles(parts.map((p) => p.latency?.overall));
  const accepted = mergePercentiles(parts.map((p) => p.latency?.accepted));
  const rejected = mergePercentiles(parts.map((p) => p.latency?.rejected));
  const error = mergePercentiles(parts.map((p) => p.latency?.error));
  const thresholds = mergeVerdicts(parts.map((p) => p.thresholds));
  const checks = mergeVerdicts(parts.map((p) => p.checks));
  return {
    ...first,
    runId,
    title: `${first.title} (${parts.length} segments merged)`,
    durationMs: Math.max(...parts.map((p) => p.durationMs)),
    config: { ...first.config, segments: parts.map((p) => p.config.executionSegment ?? null) },
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
    markers: parts.flatMap((p) => p.markers),
    thresholds,
    checks,
    sections: [
      ...first.sections,
      {
        title: 'Segments',
        text: 'Latency percentiles of merged segments are count-weighted means of the instances (approximate); totals, series, min and max are exact.',
        charts: [],
      },
    ],
    failures: parts.flatMap((p) => p.failures),
    ok: parts.every((p) => p.ok) && thresholds.every((t) => t.ok) && checks.every((c) => c.ok),
  };
}
