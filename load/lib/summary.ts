import type { LoadConfig } from './config.ts';
import { LATENCY_METRICS, METRIC } from './names.ts';
import type { SummaryData, SummaryMetric } from './summary-data.ts';

function fmt(n: number | undefined, digits = 2): string {
  return n === undefined ? '-' : Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

function line(name: string, metric: SummaryMetric | undefined): string | undefined {
  if (metric === undefined) return undefined;
  const v = metric.values;
  switch (metric.type) {
    case 'counter':
      return `${name}: ${fmt(v.count)} (${fmt(v.rate)}/s)`;
    case 'rate':
      return `${name}: ${fmt((v.rate ?? 0) * 100)}% (${fmt(v.passes)} of ${fmt((v.passes ?? 0) + (v.fails ?? 0))})`;
    case 'trend':
      return `${name}: avg=${fmt(v.avg)} p(95)=${fmt(v['p(95)'])} max=${fmt(v.max)}`;
    case 'gauge':
      return `${name}: ${fmt(v.value)}`;
  }
}

/** A short plain-text summary: the thresholds with their verdicts, then the evkit metrics. */
export function textSummary(data: SummaryData): string {
  const out: string[] = ['', 'thresholds:'];
  for (const [name, metric] of Object.entries(data.metrics)) {
    for (const [expr, { ok }] of Object.entries(metric.thresholds ?? {})) {
      out.push(`  ${ok ? 'ok  ' : 'FAIL'} ${name}: ${expr}`);
    }
  }
  out.push('', 'metrics:');
  const names = [
    'http_reqs',
    'dropped_iterations',
    METRIC.accepted,
    METRIC.rateLimited,
    METRIC.burst,
    METRIC.unexpected,
    ...LATENCY_METRICS,
    METRIC.rejectedAtRate,
  ];
  for (const name of names) {
    const l = line(name, data.metrics[name]);
    if (l !== undefined) out.push(`  ${l}`);
  }
  // The onset is the lowest planned rate that was answered 7020 (rate-limit records one per 7020).
  const onset = data.metrics[METRIC.rejectedAtRate]?.values;
  if (onset !== undefined && (onset.count ?? 0) > 0 && onset.min !== undefined) {
    out.push(
      '',
      `7020 onset: first 7020 at a planned ${fmt(onset.min, 1)} req/s (${fmt(onset.count)} × 7020 in all)`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** The scripts' handleSummary: the text summary on stdout and the summary data as JSON in EVKIT_SUMMARY_FILE. */
export function summaryOutputs(data: SummaryData, config: LoadConfig): Record<string, string> {
  return { stdout: textSummary(data), [config.summaryFile]: JSON.stringify(data, null, 2) };
}
