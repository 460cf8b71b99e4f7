import {
  ACCEPTED_CODE,
  BURST_LABEL,
  CATALOG,
  DESCRIPTION,
  RESPONSE_CODES,
  type ResponseCode,
} from '../schema/index.ts';
import { type ChartSpec, LATENCY_OUTCOMES, latencyChart, sectionChart, timelineCharts } from './charts.ts';
import { CODE_COLOUR, SERIES_COLOUR } from './colours.ts';
import { escapeHtml as h, inlineAsset, jsonForScript } from './escape.ts';
import { formatCount, formatDuration, formatMs, formatShare, formatValue } from './format.ts';
import { CLIENT_SCRIPT } from './html-client.ts';
import { REPORT_CSS } from './html-style.ts';
import type { Percentiles, RunReport, Verdict } from './model.ts';

/** The chart library's files, inlined so the report needs no network (read by assets.ts). */
export interface ReportAssets {
  readonly uplotJs: string;
  readonly uplotCss: string;
}

/** Nothing may be fetched: the report is one file that works offline and from a CI artifact. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Element ids of the embedded data, for readers that want the model back out of a report.html. */
export const REPORT_JSON_ID = 'evkit-report';
export const CHARTS_JSON_ID = 'evkit-charts';

/** Collects the charts of a page in order; each figure names its spec by index. */
class Figures {
  readonly specs: ChartSpec[] = [];

  render(spec: ChartSpec, hint = 'drag to zoom, double-click to reset'): string {
    const index = this.specs.push(spec) - 1;
    const markers =
      spec.markers.length === 0
        ? ''
        : `<ul class="markers" aria-label="Markers">${spec.markers
            .map((m) => `<li>${h(m.label)} at ${formatCount(m.x)} ${h(spec.xLabel)}</li>`)
            .join('')}</ul>`;
    return `<figure class="chart" data-chart="${index}" id="chart-${index}">
<figcaption>${h(spec.title)}${spec.categories === undefined ? ` <small>${h(hint)}</small>` : ''}</figcaption>
<p class="sr-only">${h(spec.description)}</p>
<div class="plot"><noscript>Charts need JavaScript; the same data is in summary.json.</noscript></div>
${markers}</figure>`;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function verdictBanner(report: RunReport): string {
  const failed = [...report.thresholds, ...report.checks].filter((v) => !v.ok);
  const total = report.thresholds.length + report.checks.length;
  const summary =
    total === 0
      ? 'No thresholds or checks were set for this run.'
      : failed.length === 0
        ? `All ${total} thresholds and checks held.`
        : `${failed.length} of ${total} thresholds and checks failed:`;
  const list = failed.length === 0 ? '' : `<ul>${failed.map((v) => `<li>${h(v.name)}</li>`).join('')}</ul>`;
  const cases =
    report.failures.length === 0
      ? ''
      : `<p>${plural(report.failures.length, 'failing case')}, each with a curl line that reproduces it.</p>`;
  const word = report.ok ? 'PASSED' : 'FAILED';
  return `<section class="verdict ${report.ok ? 'ok' : 'fail'}" role="status" aria-label="Verdict: ${word}">
<strong>${report.ok ? '✔' : '✘'} ${word}</strong>
<div><p>${h(summary)}</p>${list}${cases}</div>
</section>`;
}

function keyValueTable(caption: string, rows: readonly (readonly [string, string])[]): string {
  const body = rows.map(([k, v]) => `<tr><th scope="row">${h(k)}</th><td>${h(v)}</td></tr>`).join('\n');
  return `<table><caption>${h(caption)}</caption><tbody>\n${body}\n</tbody></table>`;
}

function runSection(report: RunReport): string {
  const run: [string, string][] = [
    ['Run id', report.runId],
    ['Kind', report.kind],
    ['Started', report.startedAt],
    ['Duration', formatDuration(report.durationMs)],
    ...(report.engine === undefined ? [] : [['Engine', report.engine] as [string, string]]),
    ...(report.script === undefined ? [] : [['Script', report.script] as [string, string]]),
    ['Target', report.target],
    ['Seed', String(report.seed)],
    ['Report model', `version ${report.version}`],
  ];
  // Settings that were not set are left out rather than shown as "undefined".
  const config = Object.entries(report.config)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]): [string, string] => [k, formatValue(v)]);
  return `<section aria-labelledby="h-run"><h2 id="h-run">Run</h2><div class="run">
${keyValueTable('Run', run)}
${config.length === 0 ? '<p class="empty">No configuration recorded.</p>' : keyValueTable('Configuration', config)}
</div></section>`;
}

function codeRow(code: ResponseCode | 'other', count: number, requests: number): string {
  const meaning = code === 'other' ? 'no parsable code, or a transport error' : CATALOG[code].message;
  return `<tr${count === 0 ? ' class="zero"' : ''}><th scope="row"><span class="swatch" style="background:${CODE_COLOUR[code]}" aria-hidden="true"></span>${h(code)}</th><td>${h(meaning)}</td><td class="num">${formatCount(count)}</td><td class="num">${formatShare(count, requests)}</td></tr>`;
}

function totalsSection(report: RunReport): string {
  const { requests, byCode, burst, dropped } = report.totals;
  const rows = [...RESPONSE_CODES, 'other' as const].map((code) => {
    const row = codeRow(code, byCode[code] ?? 0, requests);
    if (code !== ACCEPTED_CODE) return row;
    const burstRow = `<tr${burst === 0 ? ' class="zero"' : ''}><th scope="row"><span class="swatch" style="background:${SERIES_COLOUR.burst}" aria-hidden="true"></span>${h(code)} burst</th><td>of which “${h(DESCRIPTION.queuedInBurstMode)}” (${h(BURST_LABEL)})</td><td class="num">${formatCount(burst)}</td><td class="num">${formatShare(burst, requests)}</td></tr>`;
    return `${row}\n${burstRow}`;
  });
  return `<section aria-labelledby="h-codes"><h2 id="h-codes">Responses by code</h2>
<table><caption>Every response code of the catalog; share of ${formatCount(requests)} requests.</caption>
<thead><tr><th scope="col">Code</th><th scope="col">Meaning</th><th scope="col" class="num">Responses</th><th scope="col" class="num">Share</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
<tfoot><tr><th scope="row">requests</th><td>sent</td><td class="num">${formatCount(requests)}</td><td></td></tr>
<tr${dropped === 0 ? ' class="zero"' : ''}><th scope="row">dropped</th><td>iterations not started (no free VU)</td><td class="num">${formatCount(dropped)}</td><td></td></tr></tfoot>
</table></section>`;
}

function percentileCells(p: Percentiles): string {
  const ms = [p.min, p.avg, p.p50, p.p90, p.p95, p.p99, p.max].map(
    (v) => `<td class="num">${formatMs(v)}</td>`,
  );
  return `<td class="num">${formatCount(p.count)}</td>${ms.join('')}`;
}

function latencySection(report: RunReport, figures: Figures): string {
  const latency = report.latency;
  if (latency === undefined) return '';
  const rows = LATENCY_OUTCOMES.flatMap((name) => {
    const p = latency[name];
    return p === undefined ? [] : [`<tr><th scope="row">${name}</th>${percentileCells(p)}</tr>`];
  });
  const chart = latencyChart(report);
  return `<section aria-labelledby="h-latency"><h2 id="h-latency">Latency</h2>
<table><caption>Milliseconds, by outcome (accepted: 1002; rejected: 7020; error: any other code or no response).</caption>
<thead><tr><th scope="col">Outcome</th><th scope="col" class="num">Count</th><th scope="col" class="num">min</th><th scope="col" class="num">avg</th><th scope="col" class="num">p50</th><th scope="col" class="num">p90</th><th scope="col" class="num">p95</th><th scope="col" class="num">p99</th><th scope="col" class="num">max</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
${chart === undefined ? '' : figures.render(chart)}
</section>`;
}

function verdictTable(id: string, title: string, verdicts: readonly Verdict[]): string {
  const body =
    verdicts.length === 0
      ? `<p class="empty">No ${title.toLowerCase()} were set.</p>`
      : `<table><thead><tr><th scope="col">Result</th><th scope="col">Name</th><th scope="col">Detail</th></tr></thead><tbody>
${verdicts
  .map(
    (v) =>
      `<tr class="${v.ok ? 'ok' : 'fail'}"><td><span class="badge ${v.ok ? 'ok' : 'fail'}">${v.ok ? 'ok' : 'fail'}</span></td><td>${h(v.name)}</td><td class="detail">${h(v.detail)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;
  return `<section aria-labelledby="${id}"><h2 id="${id}">${h(title)}</h2>\n${body}</section>`;
}

function failuresSection(report: RunReport): string {
  const body =
    report.failures.length === 0
      ? '<p class="empty">No failing cases.</p>'
      : `<ol>${report.failures
          .map(
            (f) => `<li class="failure"><p>${h(f.description)}</p><pre><code>${h(f.curl)}</code></pre></li>`,
          )
          .join('\n')}</ol>`;
  return `<section aria-labelledby="h-failures"><h2 id="h-failures">Failing cases</h2>
<p class="meta">Each line reproduces its case; run it against the same target and seed.</p>
${body}</section>`;
}

function timelineSection(report: RunReport, figures: Figures): string {
  const charts = timelineCharts(report);
  if (charts.length === 0) return '';
  return `<section aria-labelledby="h-timeline"><h2 id="h-timeline">Over time</h2>
${charts.map((c) => figures.render(c)).join('\n')}
</section>`;
}

function extraSections(report: RunReport, figures: Figures): string {
  return report.sections
    .map(
      (s, i) => `<section aria-labelledby="h-section-${i}"><h2 id="h-section-${i}">${h(s.title)}</h2>
${s.text === '' ? '' : `<p class="section-text">${h(s.text)}</p>`}
${s.charts.map((c) => figures.render(sectionChart(c))).join('\n')}
</section>`,
    )
    .join('\n');
}

/** Render a run report as one self-contained HTML page (uPlot and the data inlined; no network). */
export function renderReportHtml(report: RunReport, assets: ReportAssets): string {
  const figures = new Figures();
  // Render order is page order, and figures number their charts as they are rendered.
  const body = [
    verdictBanner(report),
    runSection(report),
    timelineSection(report, figures),
    totalsSection(report),
    latencySection(report, figures),
    verdictTable('h-thresholds', 'Thresholds', report.thresholds),
    verdictTable('h-checks', 'Checks', report.checks),
    failuresSection(report),
    extraSections(report, figures),
  ]
    .filter((part) => part !== '')
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="generator" content="evkit report model v${report.version}">
<title>${h(report.title)} · evkit ${h(report.kind)} · ${report.ok ? 'passed' : 'failed'}</title>
<style>${inlineAsset(assets.uplotCss, 'style')}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<p class="crumbs"><a href="../index.html">All reports</a></p>
<h1>${h(report.title)}</h1>
<p class="meta">evkit ${h(report.kind)} report · ${h(report.startedAt)} · ${h(report.runId)}</p>
</header>
<main>
${body}
</main>
<footer>Report model version ${report.version}. The data of this page is embedded below as JSON (id “${REPORT_JSON_ID}”) and written next to it as summary.json.</footer>
<script type="application/json" id="${REPORT_JSON_ID}">${jsonForScript(report)}</script>
<script type="application/json" id="${CHARTS_JSON_ID}">${jsonForScript(figures.specs)}</script>
<script>${inlineAsset(assets.uplotJs, 'script')}</script>
<script>${inlineAsset(CLIENT_SCRIPT, 'script')}</script>
</body>
</html>
`;
}
