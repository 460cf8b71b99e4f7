import { ACCEPTED_CODE, BURST_LABEL, DESCRIPTION, RESPONSE_CODES } from '../schema/index.ts';
import { renderTable } from '../text-table.ts';
import { codeLabel, LATENCY_OUTCOMES } from './charts.ts';
import { formatCount, formatDuration, formatMs, formatShare } from './format.ts';
import type { RunReport, Verdict } from './model.ts';

/** The summary's tables: indented, no rule, numbers right-aligned. */
const TEXT_TABLE = (rightAlign: readonly number[]) => ({ rightAlign, rule: false, indent: '  ' });

function codesTable(report: RunReport): string {
  const { requests, byCode, burst } = report.totals;
  const rows = [...RESPONSE_CODES, 'other' as const].flatMap((code) => {
    const count = byCode[code] ?? 0;
    if (count === 0) return [];
    const row = [codeLabel(code), formatCount(count), formatShare(count, requests)];
    return code === ACCEPTED_CODE && burst > 0
      ? [
          row,
          [
            `  of which “${DESCRIPTION.queuedInBurstMode}” (${BURST_LABEL})`,
            formatCount(burst),
            formatShare(burst, requests),
          ],
        ]
      : [row];
  });
  return rows.length === 0
    ? '  no responses'
    : renderTable(['code', 'responses', 'share'], rows, TEXT_TABLE([1, 2]));
}

function latencyTable(report: RunReport): string | undefined {
  const latency = report.latency;
  if (latency === undefined) return undefined;
  const rows = LATENCY_OUTCOMES.flatMap((name) => {
    const p = latency[name];
    return p === undefined
      ? []
      : [[name, formatCount(p.count), ...[p.p50, p.p90, p.p95, p.p99, p.max].map(formatMs)]];
  });
  return renderTable(
    ['latency (ms)', 'count', 'p50', 'p90', 'p95', 'p99', 'max'],
    rows,
    TEXT_TABLE([1, 2, 3, 4, 5, 6]),
  );
}

function verdictLines(title: string, verdicts: readonly Verdict[]): string | undefined {
  if (verdicts.length === 0) return undefined;
  const held = verdicts.filter((v) => v.ok).length;
  return [
    `${title}: ${held}/${verdicts.length} ok`,
    ...verdicts.map(
      (v) => `  ${v.ok ? '✔ ok  ' : '✘ FAIL'}  ${v.name}${v.detail === '' ? '' : ` — ${v.detail}`}`,
    ),
  ].join('\n');
}

/** A short human summary of a run for the terminal: verdict, codes, latency, thresholds and checks. */
export function renderTextSummary(report: RunReport): string {
  const head = [
    `${report.ok ? '✔ PASSED' : '✘ FAILED'}  ${report.title}`,
    [
      `evkit ${report.kind}`,
      report.script,
      report.engine === undefined ? undefined : `engine ${report.engine}`,
      `target ${report.target}`,
      `seed ${report.seed}`,
      formatDuration(report.durationMs),
    ]
      .filter((p) => p !== undefined)
      .join(' · '),
    `${formatCount(report.totals.requests)} requests, ${formatCount(report.totals.dropped)} dropped iterations`,
  ].join('\n');
  const markers =
    report.markers.length === 0
      ? undefined
      : `markers: ${report.markers.map((m) => `${m.label} at ${formatCount(m.t)} s`).join('; ')}`;
  const failures =
    report.failures.length === 0
      ? undefined
      : `failing cases: ${report.failures.length} (curl lines in report.html and junit.xml)\n${report.failures
          .slice(0, 3)
          .map((f) => `  ${f.description}\n    ${f.curl}`)
          .join('\n')}${report.failures.length > 3 ? '\n  …' : ''}`;
  return `${[
    head,
    codesTable(report),
    markers,
    latencyTable(report),
    verdictLines('thresholds', report.thresholds),
    verdictLines('checks', report.checks),
    failures,
  ]
    .filter((part) => part !== undefined)
    .join('\n\n')}\n`;
}
