import type { SummaryData, SummaryMetric, SummaryValues } from '../../load/lib/index.ts';
import type { Metric, MetricRegistry } from './registry.ts';
import type { Sink } from './sinks.ts';
import type { ThresholdResult } from './verdicts.ts';

/** k6's default trend statistics. */
export const DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'] as const;

function values(
  type: Metric['type'],
  sink: Sink,
  durationMs: number,
  trendStats: readonly string[],
): SummaryValues {
  switch (type) {
    case 'counter':
      return { count: sink.read('count', durationMs), rate: sink.read('rate', durationMs) };
    case 'gauge':
      return {
        value: sink.read('value', durationMs),
        min: sink.read('min', durationMs),
        max: sink.read('max', durationMs),
      };
    case 'rate':
      return {
        rate: sink.read('rate', durationMs),
        passes: sink.read('passes', durationMs),
        fails: sink.read('fails', durationMs),
      };
    case 'trend': {
      const out: SummaryValues = {};
      for (const stat of trendStats) {
        const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat);
        out[stat] = p ? sink.read('p', durationMs, Number(p[1])) : sink.read(stat, durationMs);
      }
      return out;
    }
  }
}

/** What a finished run holds for its summary: the script's options, its metrics and its checks. */
export interface SummarySource {
  readonly options: Record<string, unknown>;
  readonly registry: Pick<MetricRegistry, 'metrics'>;
  readonly checks: ReadonlyMap<string, { passes: number; fails: number }>;
}

/** Build k6's summary data (the argument of handleSummary) from a finished run. */
export function buildSummaryData(
  rt: SummarySource,
  results: readonly ThresholdResult[],
  durationMs: number,
  setupData: unknown,
): SummaryData {
  const trendStats = (rt.options.summaryTrendStats as string[] | undefined) ?? [...DEFAULT_TREND_STATS];
  const metrics: Record<string, SummaryMetric> = {};
  const verdicts = new Map<string, Record<string, { ok: boolean }>>();
  results.forEach((r) => {
    const v = verdicts.get(r.metric) ?? {};
    v[r.expression] = { ok: r.ok };
    verdicts.set(r.metric, v);
  });
  for (const metric of rt.registry.metrics.values()) {
    const th = verdicts.get(metric.name);
    if (metric.sink.count > 0 || th) {
      metrics[metric.name] = {
        type: metric.type,
        contains: metric.contains,
        values: values(metric.type, metric.sink, durationMs, trendStats),
        ...(th ? { thresholds: th } : {}),
      };
    }
    for (const sub of metric.subs) {
      const subTh = verdicts.get(sub.selector.key);
      metrics[sub.selector.key] = {
        type: metric.type,
        contains: metric.contains,
        values: values(metric.type, sub.sink, durationMs, trendStats),
        ...(subTh ? { thresholds: subTh } : {}),
      };
    }
  }
  const checks = [...rt.checks].map(([name, c]) => ({
    name,
    path: `::${name}`,
    id: name,
    passes: c.passes,
    fails: c.fails,
  }));
  return {
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks },
    options: { summaryTrendStats: trendStats, summaryTimeUnit: '', noColor: true },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: durationMs },
    metrics,
    ...(setupData === undefined ? {} : { setup_data: setupData }),
  };
}
